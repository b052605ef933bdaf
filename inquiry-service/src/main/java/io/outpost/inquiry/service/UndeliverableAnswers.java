package io.outpost.inquiry.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.outpost.contracts.MessageKind;
import io.outpost.inquiry.Inquiry;
import io.outpost.inquiry.InquiryState;
import io.outpost.mailbox.MailboxState;
import io.outpost.mailbox.MailboxTransition;

/**
 * An answer the device can never take (larger than the Maximum Packet Size it announced) fails its inquiry, in the
 * transaction that marked it: the device gets a short error answer instead of waiting for one that cannot come, the
 * backend a FAILED event with the bridge's reason. An error answer that does not fit either changes nothing more.
 */
@ApplicationScoped
public class UndeliverableAnswers {
    @Inject
    InquiryLifecycle lifecycle;

    void onTransition(@Observes MailboxTransition transition) {
        if (transition.kind() != MessageKind.INQUIRY_RESPONSE || transition.to() != MailboxState.UNDELIVERABLE
                || transition.streamKey() == null) {
            return;
        }
        Inquiry inquiry = Inquiry.findById(transition.streamKey());
        if (inquiry == null) {
            return;
        }
        inquiry = lifecycle.lock(inquiry);
        if (inquiry.state == InquiryState.FAILED || inquiry.state == InquiryState.CANCELLED) {
            return;
        }
        lifecycle.fail(inquiry, transition.at(), "Answer too large",
                "an answer could not be sent to the device: " + transition.reason());
    }
}

package io.outpost.inquiry.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.contracts.InquiryAnswerType;
import io.outpost.inquiry.Inquiry;
import io.outpost.inquiry.config.InquiryConfig;
import io.outpost.mailbox.Clock;
import io.outpost.mailbox.GroupCommit;
import io.outpost.mailbox.Mailbox;

/**
 * Calls tenants' webhooks, signed ({@link WebhookSignature}), and applies what they answer: a 2xx with a body is the
 * answer (a continuing inquiry's first one), a 2xx without one means the answer comes later over REST, anything else
 * and a timeout fail the inquiry with an error answer. A call is marked due again before it is made, so if this node
 * dies before the response was applied another node calls again (at least once: the body carries the inquiry id).
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** Response header a webhook may set to say what its body is: {@code answer}, {@code last} or {@code error}. */
    public static final String ANSWER_TYPE_HEADER = "Outpost-Answer-Type";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final long BODY_GRACE_MILLIS = 1000;

    @Inject
    InquiryLifecycle lifecycle;
    @Inject
    MeterRegistry metrics;
    @Inject
    InquiryConfig config;
    @Inject
    Mailbox mailbox;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    /** Responses are applied many to a transaction, in the mailbox library's group commit, not on the client's threads. */
    private final GroupCommit<Response, Boolean> results = new GroupCommit<>("inquiry-webhook-results", 2, 200,
            this::applyAll);

    /** A call's response, or why there is none. */
    private record Response(WebhookCall call, HttpResponse<byte[]> response, Throwable error) {
    }

    @PreDestroy
    void stop() throws InterruptedException {
        results.stop();
    }

    /** Sends the call; returns when its outcome was applied (tests and shutdown wait on it, callers need not). */
    public CompletableFuture<Void> dispatch(WebhookCall call) {
        byte[] body = call.body();
        HttpRequest request = HttpRequest.newBuilder(URI.create(call.url())).timeout(call.timeout())
                .header("Content-Type", "application/json")
                .header("Outpost-Inquiry-Id", call.inquiryId())
                .header(WebhookSignature.HEADER, WebhookSignature.header(call.secret(), Clock.now().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long started = System.nanoTime();
        // The request's timeout bounds the wait for the response's headers; this bounds the body too.
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(call.timeout().toMillis() + BODY_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    metrics.timer("outpost.inquiry.webhook.calls", "outcome", outcome(response, error))
                            .record(Duration.ofNanos(System.nanoTime() - started));
                    if (call.expectsAnswer()) {
                        return results.submitAsync(new Response(call, response, error)).<Void>thenApply(done -> null)
                                .exceptionally(failure -> {
                                    LOG.errorf(failure, "applying the webhook's answer to %s failed; the call is made"
                                            + " again when it is due", call.inquiryId());
                                    return null;
                                });
                    }
                    if (error != null) {
                        LOG.debugf("telling the webhook of %s failed: %s", call.inquiryId(), error.toString());
                    }
                    return CompletableFuture.<Void>completedFuture(null);
                }).thenCompose(Function.identity());
    }

    /**
     * Applies responses in one transaction: the devices' mailboxes are locked first, all at once and in the library's
     * order, then the inquiries read in one query and the answers stored together.
     */
    private List<GroupCommit.Outcome<Boolean>> applyAll(List<Response> responses) {
        mailbox.lockDevices(responses.stream().map(r -> r.call().tenant() + "/" + r.call().device()).toList());
        Map<String, Inquiry> inquiries = new HashMap<>();
        Inquiry.<Inquiry>list("id in ?1", responses.stream().map(r -> r.call().inquiryId()).toList())
                .forEach(inquiry -> inquiries.put(inquiry.id, inquiry));
        Instant now = Clock.now();
        List<GroupCommit.Outcome<Boolean>> outcomes = new ArrayList<>();
        List<Inquiry> answered = new ArrayList<>();
        List<InquiryLifecycle.Prepared> answers = new ArrayList<>();
        for (Response response : responses) {
            Inquiry inquiry = inquiries.get(response.call().inquiryId());
            boolean changes = inquiry != null && inquiry.state.live() && inquiry.dispatchDueAt != null;
            outcomes.add(GroupCommit.Outcome.of(changes));
            if (!changes) {
                continue;
            }
            inquiry.dispatchDueAt = null;
            InquiryLifecycle.Prepared answer = apply(inquiry, response, now);
            if (answer != null) {
                answered.add(inquiry);
                answers.add(answer);
            }
        }
        List<Boolean> stored = lifecycle.store(answered, answers);
        for (int i = 0; i < answers.size(); i++) {
            if (stored.get(i)) {
                lifecycle.answered(answered.get(i), answers.get(i).type(), "webhook", now);
            } else {
                lifecycle.mailboxFull(answered.get(i), "webhook");
            }
        }
        return outcomes;
    }

    /** Fails the inquiry, or returns the answer the response carries (null: it carries none, the answer comes later). */
    private InquiryLifecycle.Prepared apply(Inquiry inquiry, Response response, Instant now) {
        WebhookCall call = response.call();
        if (response.error() != null) {
            lifecycle.fail(inquiry, now, "Handler unreachable", failure(response.error(), call.timeout()));
        } else if (response.response().statusCode() / 100 != 2) {
            lifecycle.fail(inquiry, now, "Handler failed", "the webhook answered HTTP "
                    + response.response().statusCode());
        } else if (response.response().body().length > config.maxPayloadBytes()) {
            lifecycle.fail(inquiry, now, "Handler failed", "the webhook's answer has "
                    + response.response().body().length + " bytes, more than " + config.maxPayloadBytes());
        } else if (response.response().body().length > 0) {
            return lifecycle.prepare(inquiry, new Answer(answerType(response.response()), response.response().headers()
                    .firstValue("Content-Type").orElse(OCTET_STREAM), response.response().body(), null, null,
                    "webhook"), now);
        }
        return null;
    }

    private static InquiryAnswerType answerType(HttpResponse<byte[]> response) {
        return response.headers().firstValue(ANSWER_TYPE_HEADER).map(InquiryAnswerType::fromLevel)
                .orElse(InquiryAnswerType.ANSWER);
    }

    private static String failure(Throwable error, Duration timeout) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        return cause instanceof HttpTimeoutException || cause instanceof TimeoutException
                ? "the webhook did not answer within " + timeout
                : "the webhook could not be called: " + cause.getClass().getSimpleName();
    }

    private static String outcome(HttpResponse<byte[]> response, Throwable error) {
        return error != null ? "error" : Integer.toString(response.statusCode() / 100) + "xx";
    }
}

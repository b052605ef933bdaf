package io.outpost.command;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.outpost.contracts.Topics;
import io.outpost.testsupport.TopicTap;

/** The outbound topic as a bridge node reads it, and the command events as a product team reads them. */
final class Tap {
    private final TopicTap tap;

    private Tap(TopicTap tap) {
        this.tap = tap;
    }

    static Tap outbound() {
        return new Tap(TopicTap.of(Topics.OUTBOUND));
    }

    static Tap events() {
        return new Tap(TopicTap.of(Topics.COMMAND_EVENTS));
    }

    /** Records so far whose key is {@code tenant/device} (or, with a null device, whose key starts with the tenant). */
    List<ConsumerRecord<String, byte[]>> of(String tenant, String device) {
        if (device == null) {
            return tap.keyedFrom(tenant + "/");
        }
        String key = tenant + "/" + device;
        return tap.keyedFrom(key).stream().filter(r -> r.key().equals(key)).toList();
    }

    /** The ce_id of every record of the device so far, in arrival order. */
    List<String> ids(String tenant, String device) {
        return of(tenant, device).stream().map(r -> header(r, "ce_id")).toList();
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        return TopicTap.header(record, name);
    }
}

package io.outpost.testsupport;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Collects what the {@code probe-in} channel reads, so a test can inspect the raw Kafka records. */
@ApplicationScoped
public class CloudEventProbe {
    private final BlockingQueue<ConsumerRecord<String, byte[]>> received = new LinkedBlockingQueue<>();

    @Incoming("probe-in")
    void receive(ConsumerRecord<String, byte[]> record) {
        received.add(record);
    }

    ConsumerRecord<String, byte[]> poll(long timeout, TimeUnit unit) throws InterruptedException {
        return received.poll(timeout, unit);
    }
}

package io.outpost.telemetry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.testsupport.InProcessKafka;

/** Writes telemetry records to the in-process Kafka exactly as the bridge does for a device's publish. */
final class BridgeRecords {
    private static final KafkaProducer<String, byte[]> PRODUCER = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());

    private BridgeRecords() {
    }

    /** A publish on {@code devices/{device}/{topic}} received by the bridge at {@code at}; returns its id. */
    static String publish(String tenant, String device, String topic, byte[] payload, String contentType, Instant at) {
        return publish(tenant, device, null, topic, payload, contentType, at);
    }

    /** As {@link #publish}, from one incarnation of the device ({@code ce_deviceincarnation}, as the bridge says). */
    static String publish(String tenant, String device, Instant incarnation, String topic, byte[] payload,
            String contentType, Instant at) {
        String id = UUID.randomUUID().toString();
        RecordHeaders headers = new RecordHeaders();
        add(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        add(headers, CloudEventHeaders.ID, id);
        add(headers, CloudEventHeaders.SOURCE, "/outpost/mqtt-bridge/test");
        add(headers, CloudEventHeaders.TYPE, CloudEventTypes.TELEMETRY);
        add(headers, CloudEventHeaders.TIME, at.toString());
        add(headers, CloudEventHeaders.TENANT, tenant);
        add(headers, CloudEventHeaders.DEVICE, device);
        add(headers, CloudEventHeaders.MQTT_TOPIC, topic);
        if (contentType != null) {
            add(headers, CloudEventHeaders.CONTENT_TYPE, contentType);
        }
        if (incarnation != null) {
            add(headers, CloudEventHeaders.DEVICE_INCARNATION, incarnation.toString());
        }
        try {
            PRODUCER.send(new ProducerRecord<>(Topics.TELEMETRY, null, tenant + "/" + device, payload, headers))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("telemetry record not written", e);
        }
        return id;
    }

    static String publishJson(String tenant, String device, String topic, String json, Instant at) {
        return publish(tenant, device, topic, json.getBytes(StandardCharsets.UTF_8), "application/json", at);
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

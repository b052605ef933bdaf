package io.outpost.load;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Fills {@code outpost.telemetry.v1} with records exactly as the bridge writes them (CloudEvents headers, key
 * {@code tenant/device}, JSON payloads of about 100 bytes), for the telemetry ingest benchmark.
 * Usage: {@code TelemetryPrefill <bootstrap> <tenant> <devices> <records>}.
 */
public final class TelemetryPrefill {
    private TelemetryPrefill() {
    }

    public static void main(String[] args) {
        String tenant = args[1];
        int devices = Integer.parseInt(args[2]);
        int records = Integer.parseInt(args[3]);
        long start = System.nanoTime();
        Instant first = Instant.now().minusSeconds(records / 1000 + 60);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0], ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262_144),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                String device = "dev-" + (i % devices);
                RecordHeaders headers = new RecordHeaders();
                header(headers, "ce_specversion", "1.0");
                header(headers, "ce_id", tenant + "-" + i);
                header(headers, "ce_source", "/outpost/mqtt-bridge/bench");
                header(headers, "ce_type", "io.outpost.telemetry.v1");
                header(headers, "ce_time", first.plusMillis(i).toString());
                header(headers, "ce_tenant", tenant);
                header(headers, "ce_device", device);
                header(headers, "ce_mqtttopic", "telemetry");
                header(headers, "content-type", "application/json");
                String payload = String.format(Locale.ROOT,
                        "{\"temperature\":%.2f,\"humidity\":%d,\"battery\":%d,\"seq\":%d,\"status\":\"ok\"}",
                        18 + (i % 100) / 10.0, 40 + i % 30, 100 - i % 50, i);
                producer.send(new ProducerRecord<>("outpost.telemetry.v1", null, tenant + "/" + device,
                        payload.getBytes(StandardCharsets.UTF_8), headers));
            }
            producer.flush();
        }
        System.err.printf(Locale.ROOT, "%d records written in %.1f s%n", records, (System.nanoTime() - start) / 1e9);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

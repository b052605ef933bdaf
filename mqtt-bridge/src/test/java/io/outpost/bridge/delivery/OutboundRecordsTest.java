package io.outpost.bridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.outpost.contracts.Audience;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.MessageKind;

/** The header rules of {@code outpost.outbound.v1}: audience, its target headers, revocations, unusable records. */
class OutboundRecordsTest {
    private static final String EXPIRES = "2026-12-01T10:00:00Z";

    @Test
    void recordWithoutAudienceIsForItsDevice() {
        OutboundRecord.Message message = message(read(notification(Map.of(CloudEventHeaders.DEVICE, "van"))));

        assertEquals(Audience.DEVICE, message.audience());
        assertEquals("van", message.message().device());
        assertNull(message.group());
        assertEquals(MessageKind.NOTIFICATION, message.message().kind());
        assertEquals(Instant.parse(EXPIRES), message.message().expiresAt());
        assertEquals("alert", new String(message.message().payload(), StandardCharsets.UTF_8));
    }

    @Test
    void groupRecordNamesItsGroupAndNoDevice() {
        OutboundRecord.Message message = message(read(notification(Map.of(CloudEventHeaders.AUDIENCE, "group",
                CloudEventHeaders.GROUP, "city-north"))));

        assertEquals(Audience.GROUP, message.audience());
        assertEquals("city-north", message.group());
        assertNull(message.message().device());
    }

    @Test
    void fleetRecordNamesNeitherDeviceNorGroup() {
        OutboundRecord.Message message = message(read(notification(Map.of(CloudEventHeaders.AUDIENCE, "fleet"))));

        assertEquals(Audience.FLEET, message.audience());
        assertNull(message.group());
        assertNull(message.message().device());
    }

    @Test
    void groupOrDeviceRecordWithoutItsTargetIsUnusable() {
        assertInstanceOf(OutboundRecord.Unusable.class, read(notification(Map.of())));
        assertInstanceOf(OutboundRecord.Unusable.class, read(notification(Map.of(CloudEventHeaders.AUDIENCE, "device"))));
        assertInstanceOf(OutboundRecord.Unusable.class, read(notification(Map.of(CloudEventHeaders.AUDIENCE, "group"))));
        assertInstanceOf(OutboundRecord.Unusable.class, read(notification(Map.of(CloudEventHeaders.AUDIENCE, "group",
                CloudEventHeaders.GROUP, " "))));
    }

    @Test
    void groupOrFleetRecordThatAlsoNamesADeviceOrGroupIsUnusable() {
        assertInstanceOf(OutboundRecord.Unusable.class, read(notification(Map.of(CloudEventHeaders.AUDIENCE, "group",
                CloudEventHeaders.GROUP, "g", CloudEventHeaders.DEVICE, "van"))));
        assertInstanceOf(OutboundRecord.Unusable.class, read(notification(Map.of(CloudEventHeaders.AUDIENCE, "fleet",
                CloudEventHeaders.DEVICE, "van"))));
        assertInstanceOf(OutboundRecord.Unusable.class, read(notification(Map.of(CloudEventHeaders.AUDIENCE, "fleet",
                CloudEventHeaders.GROUP, "g"))));
    }

    @Test
    void membersCopyOfAGroupMessageNamesDeviceAndGroup() {
        OutboundRecord.Message message = message(read(notification(Map.of(CloudEventHeaders.DEVICE, "van",
                CloudEventHeaders.GROUP, "city-north"))));

        assertEquals(Audience.DEVICE, message.audience());
        assertEquals("van", message.message().device());
        assertEquals("city-north", message.group());
    }

    @Test
    void unknownAudienceOrTypeIsUnusable() {
        assertInstanceOf(OutboundRecord.Unusable.class, read(notification(Map.of(CloudEventHeaders.AUDIENCE, "Group",
                CloudEventHeaders.GROUP, "g"))));
        Map<String, String> headers = notification(Map.of(CloudEventHeaders.DEVICE, "van"));
        headers.put(CloudEventHeaders.TYPE, "io.outpost.outbound.telegram.v1");
        assertInstanceOf(OutboundRecord.Unusable.class, read(headers));
    }

    @Test
    void revocationCarriesIdTenantAndTheRevokedMessagesExpiry() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.TYPE, CloudEventTypes.OUTBOUND_REVOKED);
        headers.put(CloudEventHeaders.ID, "n-1");
        headers.put(CloudEventHeaders.TENANT, "acme");
        headers.put(CloudEventHeaders.EXPIRES_AT, EXPIRES);

        OutboundRecord revocation = OutboundRecords.read(record(headers, null));

        assertEquals(new OutboundRecord.Revocation("n-1", "acme", Instant.parse(EXPIRES)), revocation);
        headers.remove(CloudEventHeaders.EXPIRES_AT);
        assertEquals(new OutboundRecord.Revocation("n-1", "acme", null), OutboundRecords.read(record(headers, null)));
        headers.remove(CloudEventHeaders.TENANT);
        assertInstanceOf(OutboundRecord.Unusable.class, OutboundRecords.read(record(headers, null)));
    }

    private static Map<String, String> notification(Map<String, String> target) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.TYPE, CloudEventTypes.OUTBOUND_NOTIFICATION);
        headers.put(CloudEventHeaders.ID, "n-1");
        headers.put(CloudEventHeaders.TENANT, "acme");
        headers.put(CloudEventHeaders.MQTT_TOPIC, "notifications/air");
        headers.put(CloudEventHeaders.EXPIRES_AT, EXPIRES);
        headers.put(CloudEventHeaders.CONTENT_TYPE, "text/plain");
        headers.putAll(target);
        return headers;
    }

    private static OutboundRecord read(Map<String, String> headers) {
        return OutboundRecords.read(record(headers, "alert".getBytes(StandardCharsets.UTF_8)));
    }

    private static OutboundRecord.Message message(OutboundRecord record) {
        return assertInstanceOf(OutboundRecord.Message.class, record);
    }

    private static ConsumerRecord<String, byte[]> record(Map<String, String> headers, byte[] value) {
        RecordHeaders kafkaHeaders = new RecordHeaders();
        headers.forEach((name, text) -> kafkaHeaders.add(name, text.getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>("outpost.outbound.v1", 0, 0L, 0L, TimestampType.CREATE_TIME, -1, -1, "acme/x",
                value, kafkaHeaders, Optional.empty());
    }
}

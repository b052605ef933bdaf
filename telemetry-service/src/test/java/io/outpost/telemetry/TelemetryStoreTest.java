package io.outpost.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.telemetry.ingest.Partitions;
import io.outpost.telemetry.ingest.Reading;
import io.outpost.telemetry.ingest.ReadingStore;
import io.outpost.telemetry.ingest.RetentionSweeper;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Storage on the real PostgreSQL: idempotent batches, daily partitions, retention by dropping them. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class TelemetryStoreTest {
    @Inject
    ReadingStore store;
    @Inject
    Partitions partitions;
    @Inject
    RetentionSweeper retention;
    @Inject
    DataSource dataSource;
    @Inject
    DeviceDirectory directory;

    @Test
    void aBatchStoredAgainAfterACrashIsStoredOnce() throws SQLException {
        String tenant = RegistryRecords.newTenant();
        List<Reading> batch = readings(tenant, "meter", Instant.now().minusSeconds(30), 500);

        store.store(batch);
        store.store(batch);
        store.store(batch.subList(100, 300));

        assertEquals(500, count(tenant));
    }

    @Test
    void aBatchReadAgainWithNewRecordsAfterItStoresOnlyTheNewOnes() throws SQLException {
        String tenant = RegistryRecords.newTenant();
        List<Reading> records = readings(tenant, "meter", Instant.now().minusSeconds(30), 500);

        store.store(records.subList(0, 300));
        store.store(records.subList(200, 500));

        assertEquals(500, count(tenant));
    }

    @Test
    void aTopicCreatedAnewIsStoredFromItsFirstOffset() throws SQLException {
        // given a partition stored up to a high offset
        String tenant = RegistryRecords.newTenant();
        int partition = 90 + Math.floorMod(tenant.hashCode(), 10);
        Instant at = Instant.now().minusSeconds(30);
        store.store(List.of(reading(tenant, partition, 5_000_000, at)));
        // when the topic starts again at offset 0 with new records
        store.store(List.of(reading(tenant, partition, 0, at.plusMillis(1)), reading(tenant, partition, 1,
                at.plusMillis(2))));
        store.store(List.of(reading(tenant, partition, 1, at.plusMillis(2)), reading(tenant, partition, 2,
                at.plusMillis(3))));
        // then they are stored, and a replay of them once
        assertEquals(4, count(tenant));
    }

    @Test
    void payloadsAndNamesComeBackExactlyAsSent() throws SQLException {
        String tenant = RegistryRecords.newTenant();
        String json = "{\"text\":\"tab\\t newline\\n backslash\\\\ quote\\\" \\u00e9 \u00fc\"}";
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Instant at = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MICROS);
        store.store(List.of(
                new Reading(tenant, "meter", "a\\b\tc", at, 0, 1, "id\n1", "application/json", json, null, null),
                new Reading(tenant, "meter", "raw", at.plusMillis(1), 0, 2, "id2", "application/x-raw", null, bytes,
                        at.minusSeconds(60))));

        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select stream, message_id,"
                        + " payload_json::text, payload_bytes, device_incarnation from telemetry where tenant_id = ?"
                        + " order by received_at")) {
            select.setString(1, tenant);
            try (ResultSet rs = select.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("a\\b\tc", rs.getString(1));
                assertEquals("id\n1", rs.getString(2));
                assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).toString(),
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(rs.getString(3)).toString());
                assertTrue(rs.next());
                org.junit.jupiter.api.Assertions.assertArrayEquals(bytes, rs.getBytes(4));
                assertEquals(at.minusSeconds(60), rs.getTimestamp(5).toInstant());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void readingsGoToTheirDaysPartitionAndRetentionDropsWholeDays() throws SQLException {
        String tenant = RegistryRecords.newTenant();
        Instant old = Instant.now().minus(40, ChronoUnit.DAYS);
        LocalDate oldDay = old.atOffset(ZoneOffset.UTC).toLocalDate();
        store.store(readings(tenant, "meter", old, 10));
        store.store(readings(tenant, "meter", Instant.now().minusSeconds(5), 10));
        assertTrue(partitions.existing().contains(oldDay));

        int dropped = retention.dropBefore(LocalDate.now(ZoneOffset.UTC).minusDays(30));

        assertTrue(dropped >= 1);
        assertFalse(partitions.existing().contains(oldDay));
        assertEquals(10, count(tenant), "today's readings stay");
    }

    @Test
    void aTenantWithAShorterRetentionNeverSeesOlderReadings() throws SQLException {
        // %test config: tenant "brief" keeps one day.
        Api.device(directory, "brief", "meter");
        Instant threeDaysAgo = Instant.now().minus(3, ChronoUnit.DAYS);
        store.store(readings("brief", "meter", threeDaysAgo, 3));
        store.store(readings("brief", "meter", Instant.now().minusSeconds(60), 2));

        Api.as("brief").get("/api/v1/tenants/brief/devices/meter/telemetry?from=" + threeDaysAgo.minusSeconds(60))
                .then().statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void batchesStoredAtOnceKeepEveryReadingAndTheNewestLatestValue() throws Exception {
        // given 8 callers storing 25 batches each, every batch touching the same 20 devices in its own shuffled order
        String tenant = RegistryRecords.newTenant();
        int callers = 8;
        int batches = 25;
        int devices = 20;
        Instant base = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<?>> stored = new ArrayList<>();
        for (int caller = 0; caller < callers; caller++) {
            int c = caller;
            stored.add(pool.submit(() -> {
                for (int b = 0; b < batches; b++) {
                    List<Reading> batch = new ArrayList<>();
                    for (int d = 0; d < devices; d++) {
                        int n = (c * batches + b) * devices + d;
                        batch.add(new Reading(tenant, "m" + d, "", base.plusMillis(b * callers + c), c, n, "r" + n,
                                "application/json", "{\"n\":" + n + "}", null, null));
                    }
                    Collections.shuffle(batch);
                    store.store(batch);
                }
                return null;
            }));
        }
        // when all have returned (a deadlock between two batches would fail one of them)
        for (Future<?> future : stored) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // then every reading is stored once and each device's latest value is its newest reading
        assertEquals((long) callers * batches * devices, count(tenant));
        Instant newest = base.plusMillis((batches - 1) * callers + callers - 1);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select count(*) from telemetry_latest where tenant_id = ? and received_at = ?")) {
            select.setString(1, tenant);
            select.setTimestamp(2, java.sql.Timestamp.from(newest));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                assertEquals(devices, rs.getLong(1));
            }
        }
    }

    private static Reading reading(String tenant, int partition, long offset, Instant at) {
        return new Reading(tenant, "meter", "", at, partition, offset, tenant + "-" + offset, "application/json",
                "{\"o\":" + offset + "}", null, null);
    }

    private static List<Reading> readings(String tenant, String device, Instant from, int count) {
        List<Reading> readings = new ArrayList<>();
        long offsetBase = Math.abs((long) tenant.hashCode()) * 1_000_000L + from.getEpochSecond() % 1_000_000;
        for (int i = 0; i < count; i++) {
            readings.add(new Reading(tenant, device, "", from.plusMillis(i), 0, offsetBase + i, tenant + "-" + i,
                    "application/json", "{\"i\":" + i + "}", null, null));
        }
        return readings;
    }

    private long count(String tenant) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select count(*) from telemetry where tenant_id = ?")) {
            select.setString(1, tenant);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

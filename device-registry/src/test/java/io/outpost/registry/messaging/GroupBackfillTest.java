package io.outpost.registry.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.RegistryGroup;
import io.outpost.contracts.Topics;
import io.outpost.messaging.CloudEventRecords;
import io.outpost.messaging.OutboxRelay;
import io.outpost.messaging.ReliableProducer;
import io.outpost.testsupport.InProcessKafka;
import io.outpost.testsupport.InProcessPostgres;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.TopicReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A registry that had groups before the groups topic existed: migrating its database (in a database of its own, from
 * V2) queues one record per group, and the relay publishes them. A Quarkus test only to share the JVM's in-process
 * Kafka and PostgreSQL with the other tests.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class GroupBackfillTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    ObjectMapper json;

    @Test
    void upgradedRegistryPublishesTheGroupsItAlreadyHad() throws Exception {
        // given a database at V2 with two groups and a device record still waiting in the outbox
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        PGSimpleDataSource database = newDatabase();
        Instant updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        migrate(database, "2");
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("insert into tenant values ('" + tenant + "', 'T', now(), now(), 0)");
            insertGroup(connection, tenant, "north", "North", 3, updatedAt);
            insertGroup(connection, tenant, "south", null, 0, updatedAt);
            statement.execute("insert into registry_outbox (record_key, payload, created_at)"
                    + " values ('" + tenant + "/d1', null, now())");
        }

        // when it is migrated to the current version
        migrate(database, "latest");

        // then the waiting row stays a device record, and each group has a record queued
        Map<String, String> topics = new HashMap<>();
        Map<String, String> payloads = new HashMap<>();
        try (Connection connection = database.getConnection(); ResultSet rs = connection.createStatement()
                .executeQuery("select topic, record_key, payload from registry_outbox order by seq")) {
            while (rs.next()) {
                topics.put(rs.getString("record_key"), rs.getString("topic"));
                payloads.put(rs.getString("record_key"), rs.getString("payload"));
            }
        }
        assertEquals(Map.of(tenant + "/d1", Topics.REGISTRY_DEVICES, tenant + "/north", Topics.REGISTRY_GROUPS,
                tenant + "/south", Topics.REGISTRY_GROUPS), topics);
        assertEquals(new RegistryGroup(tenant, "north", "North", 3, updatedAt),
                json.readValue(payloads.get(tenant + "/north"), RegistryGroup.class));
        assertEquals(new RegistryGroup(tenant, "south", null, 0, updatedAt),
                json.readValue(payloads.get(tenant + "/south"), RegistryGroup.class));

        // and when the relay runs on it, both groups reach the groups topic as group records
        relayEverything(database);
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(Topics.REGISTRY_GROUPS, tenant + "/", 2,
                TIMEOUT);
        assertEquals(List.of(tenant + "/north", tenant + "/south"), records.stream().map(ConsumerRecord::key).sorted()
                .toList());
        for (ConsumerRecord<String, byte[]> record : records) {
            assertEquals(CloudEventTypes.REGISTRY_GROUP, CloudEventRecords.text(record.headers(),
                    CloudEventHeaders.TYPE));
            assertEquals(record.key().substring(tenant.length() + 1), CloudEventRecords.text(record.headers(),
                    CloudEventHeaders.GROUP));
        }
        assertEquals(1, TopicReader.read(Topics.REGISTRY_DEVICES, tenant + "/", 1, TIMEOUT).size());
    }

    private static PGSimpleDataSource newDatabase() throws SQLException {
        String name = "upgrade_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(InProcessPostgres.jdbcUrl(), InProcessPostgres.username(),
                "unused"); Statement statement = admin.createStatement()) {
            statement.execute("create database " + name);
        }
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setUrl(InProcessPostgres.jdbcUrl().replace("/postgres?", "/" + name + "?"));
        database.setUser(InProcessPostgres.username());
        return database;
    }

    private static void migrate(PGSimpleDataSource database, String target) {
        Flyway.configure().dataSource(database).locations("filesystem:src/main/resources/db/migration")
                .target(target).load().migrate();
    }

    private static void insertGroup(Connection connection, String tenant, String group, String name, long version,
            Instant updatedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("insert into device_group"
                + " (tenant_id, group_id, display_name, created_at, updated_at, version) values (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, tenant);
            insert.setString(2, group);
            insert.setString(3, name);
            insert.setObject(4, OffsetDateTime.now());
            // Written with another offset than UTC: the record must still carry the same instant, in UTC.
            insert.setObject(5, updatedAt.atOffset(ZoneOffset.ofHours(2)));
            insert.setLong(6, version);
            insert.executeUpdate();
        }
    }

    private void relayEverything(PGSimpleDataSource database) throws Exception {
        Map<String, Object> kafka = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = ReliableProducer.create(kafka, "backfill-test", 5)) {
            OutboxRelay relay = new OutboxRelay("registry_outbox", 1, 100, Duration.ofMillis(100), database, producer,
                    RegistryOutboxRelay::read);
            try {
                await().atMost(TIMEOUT).until(() -> pending(database) == 0);
            } finally {
                relay.stop(Duration.ofSeconds(10));
            }
        }
    }

    private static long pending(PGSimpleDataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); ResultSet rs = connection.createStatement()
                .executeQuery("select count(*) from registry_outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

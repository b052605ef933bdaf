package io.outpost.registry;

import static io.outpost.registry.RegistryApi.as;
import static io.outpost.registry.RegistryApi.asPlatformAdmin;
import static io.outpost.registry.RegistryApi.devices;
import static io.outpost.registry.RegistryApi.groups;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.RegistryGroup;
import io.outpost.contracts.Topics;
import io.outpost.messaging.CloudEventRecords;
import io.outpost.registry.service.RegistryOutbox;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.TopicReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class RegistryGroupTopicTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    ObjectMapper json;

    @Test
    void createdReplacedAndDeletedGroupIsARecordARecordAndATombstone() throws Exception {
        // given a group that is created, renamed with a member, then deleted
        String tenant = RegistryApi.newTenant();
        as(tenant, "tenant-admin").body(Map.of("id", "city", "name", "City")).post(groups(tenant))
                .then().statusCode(201);
        as(tenant, "tenant-admin").body(Map.of("id", "d1")).post(devices(tenant)).then().statusCode(201);
        as(tenant, "tenant-admin").put(groups(tenant) + "/city/members/d1").then().statusCode(204);
        as(tenant, "tenant-admin").body(Map.of("name", "City, renamed")).put(groups(tenant) + "/city")
                .then().statusCode(200);
        RegistryGroup beforeDelete = database(tenant, "city");
        as(tenant, "tenant-admin").delete(groups(tenant) + "/city").then().statusCode(204);

        // when the groups topic is read
        List<ConsumerRecord<String, byte[]>> records = TopicReader.read(Topics.REGISTRY_GROUPS, tenant + "/", 3,
                TIMEOUT);

        // then it holds the created group, the renamed one as the database had it, and a tombstone, in that order
        assertEquals(3, records.size());
        RegistryGroup created = json.readValue(records.get(0).value(), RegistryGroup.class);
        assertEquals("City", created.name());
        assertEquals(beforeDelete, json.readValue(records.get(1).value(), RegistryGroup.class));
        assertTrue(beforeDelete.version() > created.version());
        assertNull(records.get(2).value());
        for (ConsumerRecord<String, byte[]> record : records) {
            assertEquals(tenant + "/city", record.key());
            assertEquals(CloudEventTypes.REGISTRY_GROUP, header(record, CloudEventHeaders.TYPE));
            assertEquals(tenant, header(record, CloudEventHeaders.TENANT));
            assertEquals("city", header(record, CloudEventHeaders.GROUP));
            assertNull(header(record, CloudEventHeaders.DEVICE));
            assertEquals(record.value() == null ? null : "application/json",
                    header(record, CloudEventHeaders.CONTENT_TYPE));
        }
        // and the former member is republished without the group
        Map<String, RegistryDevice> expected = RegistryTopicView.database(tenant);
        assertEquals(List.of(), expected.get(tenant + "/d1").groups());
        assertEquals(expected, RegistryTopicView.awaitTopic(json, tenant, expected, TIMEOUT));
    }

    @Test
    void deletingATenantTombstonesItsGroupsAndDevices() {
        // given a tenant with two groups and a member device
        String tenant = RegistryApi.newTenant();
        as(tenant, "tenant-admin").body(Map.of("id", "north")).post(groups(tenant)).then().statusCode(201);
        as(tenant, "tenant-admin").body(Map.of("id", "south")).post(groups(tenant)).then().statusCode(201);
        as(tenant, "tenant-admin").body(Map.of("id", "d1", "groups", List.of("north"))).post(devices(tenant))
                .then().statusCode(201);

        // when the tenant is deleted
        asPlatformAdmin().delete("/api/v1/tenants/" + tenant).then().statusCode(204);

        // then the latest record of each of its groups and devices is a tombstone
        Map<String, byte[]> groupsLatest = latestUntilAllTombstones(Topics.REGISTRY_GROUPS, tenant,
                Set.of(tenant + "/north", tenant + "/south"));
        assertEquals(Set.of(tenant + "/north", tenant + "/south"), groupsLatest.keySet());
        assertTrue(groupsLatest.values().stream().allMatch(value -> value == null), "tombstones: " + groupsLatest);
        Map<String, byte[]> devicesLatest = latestUntilAllTombstones(Topics.REGISTRY_DEVICES, tenant,
                Set.of(tenant + "/d1"));
        assertNull(devicesLatest.get(tenant + "/d1"));
        assertTrue(devicesLatest.containsKey(tenant + "/d1"));
    }

    private static Map<String, byte[]> latestUntilAllTombstones(String topic, String tenant, Set<String> keys) {
        Map<String, byte[]> latest = new HashMap<>();
        TopicReader.readUntil(topic, tenant + "/", records -> {
            latest.clear();
            records.forEach(record -> latest.put(record.key(), record.value()));
            return latest.keySet().equals(keys) && latest.values().stream().allMatch(value -> value == null);
        }, TIMEOUT);
        return latest;
    }

    private static RegistryGroup database(String tenant, String group) {
        return QuarkusTransaction.requiringNew().call(() -> RegistryOutbox.snapshot(
                DeviceGroup.find(tenant, group).orElseThrow()));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return CloudEventRecords.text(record.headers(), name);
    }
}

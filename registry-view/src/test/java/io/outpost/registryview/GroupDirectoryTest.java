package io.outpost.registryview;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

import io.outpost.contracts.RegistryGroup;
import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PreexistingRecords.class)
class GroupDirectoryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    GroupDirectory groups;
    @Inject
    DeviceDirectory devices;
    @Inject
    @Readiness
    RegistryViewReadiness readiness;
    @ConfigProperty(name = "test.preexisting-tenant")
    String preexistingTenant;

    @Test
    void groupWrittenBeforeStartIsKnownAsSoonAsTheViewHasCaughtUp() {
        // given a group and a member written before the application started
        // when the views have caught up
        await().atMost(TIMEOUT).until(() -> groups.caughtUp() && devices.caughtUp());

        // then both are there, without waiting for anything more
        assertTrue(groups.exists(preexistingTenant, PreexistingRecords.GROUP));
        assertEquals(Optional.of("Written before start"),
                groups.find(preexistingTenant, PreexistingRecords.GROUP).map(RegistryGroup::name));
        assertEquals(List.of(PreexistingRecords.DEVICE), devices.members(preexistingTenant, PreexistingRecords.GROUP));
    }

    @Test
    void createdRenamedAndDeletedGroupIsFollowed() {
        String tenant = RegistryTopics.newTenant();
        try (RegistryTopics topics = new RegistryTopics()) {
            // when a group is created
            topics.group(tenant, "city-a", "City A");
            topics.flush();
            // then it exists, and having no members does not make it unknown
            await().atMost(TIMEOUT).until(() -> groups.exists(tenant, "city-a"));
            assertEquals(0, devices.memberCount(tenant, "city-a"));

            // when it is renamed
            topics.group(tenant, "city-a", "City A, renamed");
            topics.flush();
            // then the view has the new record
            await().atMost(TIMEOUT).until(() -> groups.find(tenant, "city-a").map(RegistryGroup::name)
                    .equals(Optional.of("City A, renamed")));

            // when it is deleted (a tombstone)
            topics.groupDeleted(tenant, "city-a");
            topics.flush();
            // then it is unknown
            await().atMost(TIMEOUT).until(() -> !groups.exists(tenant, "city-a"));
        }
        assertFalse(groups.exists(tenant, "never-created"));
        assertFalse(groups.exists(RegistryTopics.newTenant(), "city-a"));
    }

    @Test
    void readinessReportsBothViews() {
        await().atMost(TIMEOUT).until(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP);

        Map<String, Object> data = readiness.call().getData().orElseThrow();
        assertTrue(((Number) data.get("groups")).longValue() >= 1, "groups in " + data);
        assertTrue(((Number) data.get("devices")).longValue() >= 1, "devices in " + data);
    }
}

package io.outpost.remoteaccess;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CloudEventTypes;
import io.outpost.contracts.Topics;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.registryview.GroupDirectory;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TestTokens;
import io.outpost.testsupport.TopicTap;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Calls the remote-access API in tests, plays the registry and the bridge, and reads what the device is told. */
final class Api {
    static final Duration WITHIN = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TopicTap OUTBOUND = TopicTap.of(Topics.OUTBOUND);

    private Api() {
    }

    static String base(String tenant) {
        return "/api/v1/tenants/" + tenant;
    }

    static RequestSpecification as(String tenant, String role) {
        return given().auth().oauth2(TestTokens.forTenant(tenant, role)).contentType(ContentType.JSON);
    }

    static RequestSpecification admin(String tenant) {
        return as(tenant, "tenant-admin");
    }

    static RequestSpecification operator(String tenant) {
        return as(tenant, "tenant-operator");
    }

    /** A device registered in these groups, online as far as the mailbox knows. */
    static void onlineDevice(DeviceDirectory directory, DataSource dataSource, String tenant, String device,
            List<String> groups) {
        RegistryRecords.put(tenant, device, true, "correct-horse-battery-staple", groups);
        await().atMost(WITHIN).until(() -> directory.find(tenant + "/" + device)
                .filter(record -> record.groups().equals(groups)).isPresent());
        FakeBridge.connected(dataSource, tenant, device);
    }

    static void group(GroupDirectory groups, String tenant, String group) {
        RegistryRecords.putGroup(tenant, group);
        await().atMost(WITHIN).until(() -> groups.exists(tenant, group));
    }

    static Map<String, Object> on(int... ports) {
        return Map.of("enabled", true, "until", Instant.now().plusSeconds(3600).toString(),
                "ports", java.util.Arrays.stream(ports).boxed().toList(), "reason", "ticket 4711");
    }

    static Map<String, Object> off() {
        return Map.of("enabled", false, "reason", "done");
    }

    /** The tunnel request the device's agent got on its MQTT topic, as JSON. */
    static JsonNode offer(String tenant, String device, String tunnelId) throws Exception {
        var record = await().atMost(WITHIN).until(() -> OUTBOUND.keyedFrom(tenant + "/" + device).stream()
                .filter(r -> CloudEventTypes.OUTBOUND_TUNNEL_REQUEST.equals(TopicTap.header(r, CloudEventHeaders.TYPE)))
                .filter(r -> ("remote-access/tunnels/" + tunnelId)
                        .equals(TopicTap.header(r, CloudEventHeaders.MQTT_TOPIC)))
                .findFirst(), java.util.Optional::isPresent).get();
        return JSON.readTree(record.value());
    }
}

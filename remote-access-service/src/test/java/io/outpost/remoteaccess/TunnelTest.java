package io.outpost.remoteaccess;

import static io.outpost.remoteaccess.Api.admin;
import static io.outpost.remoteaccess.Api.base;
import static io.outpost.remoteaccess.Api.operator;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.registryview.GroupDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Tunnels through the real relay with real WebSocket clients on both sides (the device's side echoes): bytes both ways,
 * single-use tokens, closing by policy, by an operator and by the device, and the audit of it all.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class TunnelTest {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Inject
    DeviceDirectory devices;
    @Inject
    GroupDirectory groups;
    @Inject
    DataSource dataSource;

    private String tenant;

    @BeforeEach
    void aDeviceWithSshAllowed() {
        tenant = RegistryRecords.newTenant();
        Api.group(groups, tenant, "scanners");
        Api.onlineDevice(devices, dataSource, tenant, "scanner-7", List.of("scanners"));
        admin(tenant).body(Api.on(22)).put(base(tenant) + "/devices/scanner-7/remote-access").then().statusCode(200);
    }

    @Test
    void bytesFlowBothWaysAndTheTunnelIsAudited() throws Exception {
        JsonPath opened = open(22);
        JsonNode offer = Api.offer(tenant, "scanner-7", opened.getString("id"));
        assertEquals(22, offer.get("port").asInt());
        WebSocketSide operatorSide = WebSocketSide.connect(opened.getString("operatorUrl"),
                opened.getString("operatorToken"));
        operatorSide.send("SSH-2.0-hello\r\n".getBytes(StandardCharsets.UTF_8));
        WebSocketSide deviceSide = WebSocketSide.echoing(offer.get("url").asText(), offer.get("token").asText());
        byte[] big = new byte[300_000];
        new java.util.Random(7).nextBytes(big);
        operatorSide.send(big);
        int expected = 15 + big.length;
        await().atMost(Api.WITHIN).until(() -> operatorSide.received().length == expected);
        byte[] back = operatorSide.received();
        assertEquals("SSH-2.0-hello\r\n", new String(back, 0, 15, StandardCharsets.UTF_8));
        assertArrayEquals(big, java.util.Arrays.copyOfRange(back, 15, back.length));

        operatorSide.close(1000, "done");
        assertEquals(1000, deviceSide.closed(Api.WITHIN).code());
        String tunnel = base(tenant) + "/tunnels/" + opened.getString("id");
        await().atMost(Api.WITHIN).untilAsserted(() -> operator(tenant).get(tunnel).then().statusCode(200)
                .body("state", equalTo("CLOSED")).body("closeCode", equalTo(1000))
                .body("bytesToDevice", equalTo(expected)).body("bytesFromDevice", equalTo(expected)));
        operator(tenant).get(base(tenant) + "/remote-access/audit?tunnel=" + opened.getString("id")).then()
                .statusCode(200).body("items.type", equalTo(List.of("TUNNEL_CLOSED", "TUNNEL_CONNECTED",
                        "TUNNEL_REQUESTED")));
    }

    @Test
    void tokensWorkOnceOnlyForTheirTunnelAndSide() throws Exception {
        JsonPath first = open(22);
        JsonPath second = open(22);
        JsonNode offer = Api.offer(tenant, "scanner-7", first.getString("id"));
        String operatorUrl = first.getString("operatorUrl");
        String token = first.getString("operatorToken");
        assertEquals(401, WebSocketSide.refusal(second.getString("operatorUrl"), token), "another tunnel's token");
        assertEquals(401, WebSocketSide.refusal(offer.get("url").asText(), token), "the other side's token");
        assertEquals(401, WebSocketSide.refusal(operatorUrl, "made-up"), "a made-up token");
        WebSocketSide.connect(operatorUrl, token);
        assertEquals(401, WebSocketSide.refusal(operatorUrl, token), "a token used before");
    }

    @Test
    void anExpiredTokenIsRefusedEvenUnused() throws Exception {
        JsonPath opened = open(22);
        JsonNode offer = Api.offer(tenant, "scanner-7", opened.getString("id"));
        // Time passing for the tokens only: the 30 s they live is long for a test.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement expire = connection.prepareStatement(
                        "update tunnel_token set expires_at = now() - interval '1 second' where tunnel_id = ?")) {
            expire.setString(1, opened.getString("id"));
            assertEquals(2, expire.executeUpdate());
        }
        assertEquals(401, WebSocketSide.refusal(opened.getString("operatorUrl"), opened.getString("operatorToken")));
        assertEquals(401, WebSocketSide.refusal(offer.get("url").asText(), offer.get("token").asText()));
    }

    @Test
    void aDevicesTokenServesOnlyItsOwnTunnel() throws Exception {
        Api.onlineDevice(devices, dataSource, tenant, "scanner-8", List.of("scanners"));
        admin(tenant).body(Api.on(22)).put(base(tenant) + "/devices/scanner-8/remote-access").then().statusCode(200);
        JsonPath toSeven = open(22);
        JsonPath toEight = operator(tenant).body(Map.of("port", 22)).post(base(tenant) + "/devices/scanner-8/tunnels")
                .then().statusCode(201).extract().jsonPath();
        JsonNode eightsOffer = Api.offer(tenant, "scanner-8", toEight.getString("id"));
        String sevensDeviceUrl = Api.offer(tenant, "scanner-7", toSeven.getString("id")).get("url").asText();
        assertEquals(401, WebSocketSide.refusal(sevensDeviceUrl, eightsOffer.get("token").asText()));
        WebSocketSide.connect(eightsOffer.get("url").asText(), eightsOffer.get("token").asText());
    }

    @Test
    void switchingOffClosesAnOpenTunnelOnBothSidesWithinASecond() throws Exception {
        WebSocketSide[] sides = connected(open(22));
        admin(tenant).body(Api.off()).put(base(tenant) + "/devices/scanner-7/remote-access").then().statusCode(200);
        long switchedAt = System.nanoTime();
        WebSocketSide.Closed operatorClosed = sides[0].closed(ONE_SECOND.plusMillis(500));
        WebSocketSide.Closed deviceClosed = sides[1].closed(ONE_SECOND);
        long tookMillis = (System.nanoTime() - switchedAt) / 1_000_000;
        assertEquals(4409, operatorClosed.code(), operatorClosed.reason());
        assertEquals(4409, deviceClosed.code());
        assertTrue(tookMillis < 1000, "closed after " + tookMillis + " ms");
    }

    @Test
    void anEndTimeThatPassesClosesTheTunnel() throws Exception {
        admin(tenant).body(Map.of("enabled", true, "until", java.time.Instant.now().plusSeconds(3).toString(),
                "ports", List.of(22), "reason", "three seconds")).put(base(tenant) + "/remote-access/fleet")
                .then().statusCode(200);
        admin(tenant).delete(base(tenant) + "/devices/scanner-7/remote-access").then().statusCode(204);
        WebSocketSide[] sides = connected(open(22));
        assertEquals(4409, sides[0].closed(Duration.ofSeconds(5)).code());
        assertEquals(4409, sides[1].closed(ONE_SECOND).code());
    }

    @Test
    void anOperatorClosesATunnelWithDelete() throws Exception {
        JsonPath opened = open(22);
        WebSocketSide[] sides = connected(opened);
        operator(tenant).delete(base(tenant) + "/tunnels/" + opened.getString("id")).then().statusCode(200);
        assertEquals(4410, sides[0].closed(ONE_SECOND.plusMillis(500)).code());
        assertEquals(4410, sides[1].closed(ONE_SECOND).code());
    }

    @Test
    void theDevicesRefusalReachesTheOperatorAndTheAudit() throws Exception {
        JsonPath opened = open(22);
        JsonNode offer = Api.offer(tenant, "scanner-7", opened.getString("id"));
        WebSocketSide operatorSide = WebSocketSide.connect(opened.getString("operatorUrl"),
                opened.getString("operatorToken"));
        WebSocketSide.connect(offer.get("url").asText(), offer.get("token").asText())
                .close(4403, "remote access is switched off on the device");
        WebSocketSide.Closed closed = operatorSide.closed(Api.WITHIN);
        assertEquals(4403, closed.code());
        await().atMost(Api.WITHIN).untilAsserted(() -> operator(tenant)
                .get(base(tenant) + "/tunnels/" + opened.getString("id")).then().body("state", equalTo("CLOSED"))
                .body("closeReason", equalTo("refused by the device: remote access is switched off on the device")));
    }

    @Test
    void aPortThePolicyDoesNotAllowIsRefused() {
        operator(tenant).body(Map.of("port", 80)).post(base(tenant) + "/devices/scanner-7/tunnels").then()
                .statusCode(403).contentType("application/problem+json").body("errors[0].field", equalTo("port"));
        admin(tenant).body(Api.off()).put(base(tenant) + "/devices/scanner-7/remote-access").then().statusCode(200);
        operator(tenant).body(Map.of("port", 22)).post(base(tenant) + "/devices/scanner-7/tunnels").then()
                .statusCode(403);
    }

    /**
     * Operators opening tunnels to two devices at once, some to a port the policy does not allow: written together
     * (group commit), each POST still gets its own answer, every tunnel its own tokens, offer and audit.
     */
    @Test
    void manyOperatorsAtOnceEachGetTheirOwnAnswer() throws Exception {
        Api.onlineDevice(devices, dataSource, tenant, "scanner-8", List.of("scanners"));
        admin(tenant).body(Api.on(22)).put(base(tenant) + "/devices/scanner-8/remote-access").then().statusCode(200);
        int callers = 24;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            String device = i % 2 == 0 ? "scanner-7" : "scanner-8";
            int port = i % 4 == 3 ? 80 : 22;
            answers.add(pool.submit(() -> {
                go.await();
                return operator(tenant).body(Map.of("port", port)).post(base(tenant) + "/devices/" + device
                        + "/tunnels").then().extract();
            }));
        }
        go.countDown();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < callers; i++) {
            ExtractableResponse<Response> answer = answers.get(i).get(30, TimeUnit.SECONDS);
            String device = i % 2 == 0 ? "scanner-7" : "scanner-8";
            if (i % 4 == 3) {
                assertEquals(403, answer.statusCode(), answer.asString());
                assertEquals("port", answer.jsonPath().getString("errors[0].field"));
                continue;
            }
            assertEquals(201, answer.statusCode(), answer.asString());
            String id = answer.jsonPath().getString("id");
            assertEquals(device, answer.jsonPath().getString("device"));
            assertTrue(ids.add(id), "a tunnel id answered twice: " + id);
            JsonNode offer = Api.offer(tenant, device, id);
            WebSocketSide.connect(offer.get("url").asText(), offer.get("token").asText());
            WebSocketSide.connect(answer.jsonPath().getString("operatorUrl"),
                    answer.jsonPath().getString("operatorToken")).close(1000, "done");
            operator(tenant).get(base(tenant) + "/remote-access/audit?tunnel=" + id).then().statusCode(200)
                    .body("items.type", hasItems("TUNNEL_REQUESTED"));
        }
        pool.shutdownNow();
        assertEquals(18, ids.size());
    }

    @Test
    void anotherTenantSeesNothing() {
        JsonPath opened = open(22);
        String other = RegistryRecords.newTenant();
        Api.as(other, "tenant-admin").get(base(tenant) + "/tunnels/" + opened.getString("id")).then()
                .statusCode(404);
        Api.as(other, "tenant-admin").body(Map.of("port", 22)).post(base(other) + "/devices/scanner-7/tunnels")
                .then().statusCode(404);
        Api.as(tenant, "tenant-viewer").body(Map.of("port", 22)).post(base(tenant) + "/devices/scanner-7/tunnels")
                .then().statusCode(403);
    }

    private JsonPath open(int port) {
        return operator(tenant).body(Map.of("port", port)).post(base(tenant) + "/devices/scanner-7/tunnels").then()
                .statusCode(201).body("state", equalTo("OPENING")).extract().jsonPath();
    }

    /** Both sides connected, the device's echoing; returns {operator, device} once bytes went round. */
    private WebSocketSide[] connected(JsonPath opened) throws Exception {
        JsonNode offer = Api.offer(tenant, "scanner-7", opened.getString("id"));
        WebSocketSide operatorSide = WebSocketSide.connect(opened.getString("operatorUrl"),
                opened.getString("operatorToken"));
        WebSocketSide deviceSide = WebSocketSide.echoing(offer.get("url").asText(), offer.get("token").asText());
        operatorSide.send(new byte[] {1, 2, 3});
        await().atMost(Api.WITHIN).until(() -> operatorSide.received().length == 3);
        return new WebSocketSide[] {operatorSide, deviceSide};
    }
}

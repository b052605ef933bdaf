package io.outpost.telemetry;

import static io.outpost.telemetry.Api.as;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Readings written to Kafka as the bridge does, read back through the REST API. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class TelemetryApiTest {
    @Inject
    DeviceDirectory directory;

    String tenant;

    @BeforeEach
    void newTenant() {
        tenant = RegistryRecords.newTenant();
    }

    @Test
    void historyIsNewestFirstWithStreamsRangesPagesAndBinaryPayloads() {
        Api.device(directory, tenant, "truck");
        Instant t0 = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        String plain = BridgeRecords.publishJson(tenant, "truck", "telemetry", "{\"t\":1}", t0);
        String engine = BridgeRecords.publishJson(tenant, "truck", "telemetry/engine", "{\"rpm\":2100}",
                t0.plusSeconds(1));
        String raw = BridgeRecords.publish(tenant, "truck", "telemetry/raw", new byte[] {1, 2, 3},
                "application/octet-stream", t0.plusSeconds(2));
        String text = BridgeRecords.publish(tenant, "truck", "telemetry", "not json".getBytes(StandardCharsets.UTF_8),
                null, t0.plusSeconds(3));
        String path = "/api/v1/tenants/" + tenant + "/devices/truck/telemetry";

        JsonPath all = Api.await(tenant, path, body -> body.getList("items").size() == 4);
        assertEquals(List.of(text, raw, engine, plain), all.getList("items.id"));
        assertEquals("bm90IGpzb24=", all.getString("items[0].payloadBase64"));
        assertEquals("AQID", all.getString("items[1].payloadBase64"));
        assertEquals("application/octet-stream", all.getString("items[1].contentType"));
        assertEquals(2100, all.getInt("items[2].payload.rpm"));
        assertEquals("engine", all.getString("items[2].stream"));
        assertEquals(1, all.getInt("items[3].payload.t"));
        assertEquals(t0, Instant.parse(all.getString("items[3].receivedAt")));

        // An MQTT 3.1.1 device cannot name a type (the bridge says octet-stream): JSON if it parses. A named
        // non-JSON type is kept as bytes even if it parses.
        Api.device(directory, tenant, "legacy");
        String sniffed = BridgeRecords.publish(tenant, "legacy", "telemetry",
                "{\"v\":3}".getBytes(StandardCharsets.UTF_8), "application/octet-stream", t0);
        String csv = BridgeRecords.publish(tenant, "legacy", "telemetry",
                "{\"v\":4}".getBytes(StandardCharsets.UTF_8), "text/csv", t0.plusSeconds(1));
        JsonPath legacy = Api.await(tenant, "/api/v1/tenants/" + tenant + "/devices/legacy/telemetry?order=oldest",
                body -> body.getList("items").size() == 2);
        assertEquals(List.of(sniffed, csv), legacy.getList("items.id"));
        assertEquals(3, legacy.getInt("items[0].payload.v"));
        assertEquals("application/json", legacy.getString("items[0].contentType"));
        assertEquals("text/csv", legacy.getString("items[1].contentType"));
        assertEquals("eyJ2Ijo0fQ==", legacy.getString("items[1].payloadBase64"));

        JsonPath first = as(tenant).get(path + "?order=oldest&limit=2").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(plain, engine), first.getList("items.id"));
        JsonPath second = as(tenant).queryParam("cursor", first.getString("nextCursor"))
                .get(path + "?order=oldest&limit=2").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(raw, text), second.getList("items.id"));
        assertNull(second.getString("nextCursor"));

        as(tenant).get(path + "?stream=engine").then().body("items.id", equalTo(List.of(engine)));
        as(tenant).queryParam("stream", "-").get(path).then().body("items.id", equalTo(List.of(text, plain)));
        as(tenant).queryParam("from", t0.plusSeconds(1).toString()).queryParam("to", t0.plusSeconds(3).toString())
                .get(path).then().body("items.id", equalTo(List.of(raw, engine)));
    }

    @Test
    void aDeviceCreatedAgainSeesNoneOfItsPredecessorsReadingsEvenOnesArrivingLate() {
        // given a device with readings, deleted and created again with the same id
        Api.device(directory, tenant, "reuse-1");
        Instant predecessor = directory.find(tenant + "/reuse-1").orElseThrow().createdAt();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        byte[] old = "{\"temp\":99}".getBytes(StandardCharsets.UTF_8);
        BridgeRecords.publish(tenant, "reuse-1", predecessor, "telemetry", old, "application/json", t0);
        String history = "/api/v1/tenants/" + tenant + "/devices/reuse-1/telemetry";
        Api.await(tenant, history, body -> body.getList("items").size() == 1);
        RegistryRecords.delete(tenant, "reuse-1");
        Api.awaitStatus(tenant, history, 404);
        Api.device(directory, tenant, "reuse-1");
        Instant successor = directory.find(tenant + "/reuse-1").orElseThrow().createdAt();

        // when the predecessor's last reading arrives late, and the new device sends its first
        BridgeRecords.publish(tenant, "reuse-1", predecessor, "telemetry", old, "application/json", t0.plusSeconds(1));
        String fresh = BridgeRecords.publish(tenant, "reuse-1", successor, "telemetry",
                "{\"temp\":21}".getBytes(StandardCharsets.UTF_8), "application/json", t0.plusSeconds(2));

        // then history, latest values and aggregates show only the new device's reading
        assertEquals(List.of(fresh), Api.await(tenant, history, body -> body.getList("items").size() >= 1)
                .getList("items.id"));
        as(tenant).get(history + "/latest").then().statusCode(200).body("payload.temp", equalTo(List.of(21)));
        as(tenant).get("/api/v1/tenants/" + tenant + "/telemetry/latest").then().statusCode(200)
                .body("items.payload.temp", equalTo(List.of(21)));
        as(tenant).queryParam("field", "temp").queryParam("every", "1h")
                .queryParam("from", t0.minusSeconds(3600).toString()).queryParam("to", t0.plusSeconds(60).toString())
                .get(history + "/aggregate").then().statusCode(200)
                .body("count.sum()", equalTo(1)).body("max.max()", equalTo(21.0f));
    }

    @Test
    void latestValuesPerDeviceStreamAndGroupIgnoreOlderArrivals() {
        Api.device(directory, tenant, "a", "depot-1");
        Api.device(directory, tenant, "b", "depot-1");
        Api.device(directory, tenant, "c");
        Instant now = Instant.now().minusSeconds(10);
        BridgeRecords.publishJson(tenant, "a", "telemetry", "{\"temp\":1}", now);
        BridgeRecords.publishJson(tenant, "a", "telemetry", "{\"temp\":2}", now.plusSeconds(1));
        BridgeRecords.publishJson(tenant, "a", "telemetry/gps", "{\"lat\":52.5}", now);
        BridgeRecords.publishJson(tenant, "b", "telemetry", "{\"temp\":5}", now);
        BridgeRecords.publishJson(tenant, "c", "telemetry", "{\"temp\":9}", now);
        // Arrives last but was received earlier: not the latest.
        BridgeRecords.publishJson(tenant, "a", "telemetry", "{\"temp\":0}", now.minusSeconds(5));
        String latest = "/api/v1/tenants/" + tenant + "/telemetry/latest";

        JsonPath everything = Api.await(tenant, latest, body -> body.getList("items").size() == 4);
        assertEquals(List.of("a", "a", "b", "c"), everything.getList("items.device"));
        Api.sleep(300);
        as(tenant).queryParam("stream", "-").get(latest + "?group=depot-1").then().statusCode(200)
                .body("items.device", equalTo(List.of("a", "b"))).body("items.payload.temp", equalTo(List.of(2, 5)));
        JsonPath page = as(tenant).get(latest + "?limit=3").then().statusCode(200).extract().jsonPath();
        assertEquals(3, page.getList("items").size());
        as(tenant).queryParam("cursor", page.getString("nextCursor")).get(latest + "?limit=3").then()
                .body("items.device", equalTo(List.of("c"))).body("nextCursor", equalTo(null));
        as(tenant).get("/api/v1/tenants/" + tenant + "/devices/a/telemetry/latest").then().statusCode(200)
                .body("stream", containsInAnyOrder("", "gps")).body("find { it.stream == '' }.payload.temp", equalTo(2));
    }

    @Test
    void aggregatesCountMinMaxAndMeanOfNumericValuesPerInterval() {
        Api.device(directory, tenant, "boiler");
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        int[] seconds = {0, 20, 40, 60};
        int[] temps = {10, 20, 30, 40};
        for (int i = 0; i < seconds.length; i++) {
            BridgeRecords.publishJson(tenant, "boiler", "telemetry",
                    "{\"temp\":" + temps[i] + ",\"engine\":{\"rpm\":" + (1000 * (i + 1)) + "}}",
                    base.plusSeconds(seconds[i]));
        }
        BridgeRecords.publishJson(tenant, "boiler", "telemetry", "{\"temp\":\"hot\"}", base.plusSeconds(80));
        BridgeRecords.publishJson(tenant, "boiler", "telemetry", "{\"other\":1}", base.plusSeconds(100));
        String path = "/api/v1/tenants/" + tenant + "/devices/boiler/telemetry";
        Api.await(tenant, path + "?from=" + base + "&to=" + base.plusSeconds(120),
                body -> body.getList("items").size() == 6);

        JsonPath buckets = as(tenant).get(path + "/aggregate?field=temp&every=1m&from=" + base + "&to="
                + base.plusSeconds(120)).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(base.toString(), base.plusSeconds(60).toString()), buckets.getList("start"));
        assertEquals(List.of(3, 1), buckets.getList("count"));
        assertEquals(List.of(10f, 40f), buckets.getList("min", Float.class));
        assertEquals(List.of(30f, 40f), buckets.getList("max", Float.class));
        assertEquals(List.of(20f, 40f), buckets.getList("avg", Float.class));
        as(tenant).get(path + "/aggregate?field=engine.rpm&every=2m&from=" + base + "&to=" + base.plusSeconds(120))
                .then().statusCode(200).body("count", equalTo(List.of(4))).body("avg", equalTo(List.of(2500.0f)));
    }

    @Test
    void intervalsStartOnTheClockWhateverFromIs() {
        Api.device(directory, tenant, "clock");
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        for (int second : new int[] {20, 40, 60, 3_700}) {
            BridgeRecords.publishJson(tenant, "clock", "telemetry", "{\"temp\":" + second + "}", hour.plusSeconds(second));
        }
        String path = "/api/v1/tenants/" + tenant + "/devices/clock/telemetry";
        Api.await(tenant, path + "?from=" + hour + "&to=" + hour.plusSeconds(7_200),
                body -> body.getList("items").size() == 4);

        Instant from = hour.plusSeconds(10);
        as(tenant).get(path + "/aggregate?field=temp&every=1m&from=" + from + "&to=" + hour.plusSeconds(120))
                .then().statusCode(200)
                .body("start", equalTo(List.of(hour.toString(), hour.plusSeconds(60).toString())))
                .body("count", equalTo(List.of(2, 1)));
        as(tenant).get(path + "/aggregate?field=temp&every=1h&from=" + from + "&to=" + hour.plusSeconds(7_200))
                .then().statusCode(200)
                .body("start", equalTo(List.of(hour.toString(), hour.plusSeconds(3_600).toString())))
                .body("count", equalTo(List.of(3, 1)));
    }

    @Test
    void badParametersAreProblemsNamingEachField() {
        Api.device(directory, tenant, "truck");
        String path = "/api/v1/tenants/" + tenant + "/devices/truck/telemetry";
        Map<String, List<String>> cases = Map.of(
                path + "?from=yesterday&limit=0&order=sideways", List.of("from", "limit", "order"),
                path + "?from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z", List.of("from"),
                path + "?stream=a/b", List.of("stream"),
                path + "?cursor=bm9wZQ", List.of("cursor"),
                path + "/aggregate?every=0s", List.of("field", "every"),
                path + "/aggregate?field=temp&every=1s&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z",
                List.of("every"),
                path + "/aggregate?field=a..b&every=1m", List.of("field"),
                "/api/v1/tenants/" + tenant + "/telemetry/latest?limit=1001", List.of("limit"),
                path + "?limit=abc", List.of("limit"));
        cases.forEach((request, fields) -> as(tenant).get(request).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", containsInAnyOrder(fields.toArray())));
    }

    @Test
    void anotherTenantSeesNothingAndUnknownDevicesAre404() {
        Api.device(directory, tenant, "secret");
        String other = RegistryRecords.newTenant();
        for (String path : List.of("/devices/secret/telemetry", "/devices/secret/telemetry/latest",
                "/devices/secret/telemetry/aggregate?field=t&every=1m", "/telemetry/latest",
                "/devices/secret/telemetry/live", "/telemetry/live")) {
            as(other).get("/api/v1/tenants/" + tenant + path).then().statusCode(404)
                    .contentType("application/problem+json").body("detail", equalTo("tenant " + tenant + " not found"));
            io.restassured.RestAssured.given().get("/api/v1/tenants/" + tenant + path).then().statusCode(401);
        }
        as(tenant).get("/api/v1/tenants/" + tenant + "/devices/ghost/telemetry").then().statusCode(404)
                .body("detail", equalTo("device ghost not found"));
        as(tenant).get("/api/v1/tenants/" + tenant + "/devices/secret/telemetry").then().statusCode(200);
    }
}

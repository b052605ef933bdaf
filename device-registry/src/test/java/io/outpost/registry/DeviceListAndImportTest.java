package io.outpost.registry;

import static io.outpost.registry.RegistryApi.as;
import static io.outpost.registry.RegistryApi.devices;
import static io.outpost.registry.RegistryApi.groups;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class DeviceListAndImportTest {
    static final int FLEET = 10_000;
    static String fleet;

    @BeforeEach
    void fixture() {
        tenThousandDevicesAreImported();
    }

    /** Built once, on the first test's call: Quarkus only listens once the first test runs. */
    static synchronized void tenThousandDevicesAreImported() {
        if (fleet != null) {
            return;
        }
        fleet = RegistryApi.newTenant();
        as(fleet, "tenant-admin").body(Map.of("id", "even")).post(groups(fleet)).then().statusCode(201);
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < FLEET; i++) {
            ndjson.append(String.format("{\"id\":\"dev-%05d\",\"enabled\":%s,\"labels\":{\"site\":\"%s\"}%s}\n", i,
                    i % 10 != 0, i % 3 == 0 ? "berlin" : "paris", i % 2 == 0 ? ",\"groups\":[\"even\"]" : ""));
        }
        as(fleet, "tenant-admin").contentType("application/x-ndjson").body(ndjson.toString())
                .post(devices(fleet) + "/import")
                .then().statusCode(200).body("created", equalTo(FLEET)).body("failed", equalTo(0));
    }

    @Test
    void pagingThroughTenThousandDevicesHasNoDuplicateAndNoGap() {
        for (String sort : List.of("id", "-id", "createdAt", "-createdAt")) {
            List<String> seen = pageThrough(devices(fleet) + "?limit=1000&sort=" + sort);
            assertEquals(FLEET, seen.size(), sort);
            assertEquals(FLEET, new HashSet<>(seen).size(), "duplicates with sort " + sort);
        }
        List<String> ascending = pageThrough(devices(fleet) + "?limit=999&sort=id");
        assertEquals("dev-00000", ascending.get(0));
        assertEquals("dev-09999", ascending.get(FLEET - 1));
    }

    @Test
    void filtersCombineGroupLabelsAndEnabled() {
        List<String> evenBerlinEnabled = pageThrough(devices(fleet)
                + "?limit=1000&group=even&labelSelector=site=berlin&enabled=true");
        long expected = java.util.stream.IntStream.range(0, FLEET)
                .filter(i -> i % 2 == 0 && i % 3 == 0 && i % 10 != 0).count();
        assertEquals(expected, evenBerlinEnabled.size());
        assertEquals(FLEET, pageThrough(devices(fleet) + "?limit=1000&status=offline").size());
        as(fleet, "tenant-viewer").get(devices(fleet) + "?status=online").then().statusCode(200).body("items", hasSize(0));
        as(fleet, "tenant-viewer").get(groups(fleet) + "/even").then().body("members", equalTo(FLEET / 2));
        as(fleet, "tenant-viewer").get(groups(fleet)).then().body("find { it.id == 'even' }.members", equalTo(FLEET / 2));
    }

    @Test
    void badListParametersNameTheirField() {
        as(fleet, "tenant-viewer").get(devices(fleet) + "?limit=1001").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        as(fleet, "tenant-viewer").get(devices(fleet) + "?sort=name").then().statusCode(400)
                .body("errors[0].field", equalTo("sort"));
        as(fleet, "tenant-viewer").get(devices(fleet) + "?cursor=bm9wZQ").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        as(fleet, "tenant-viewer").get(devices(fleet) + "?status=sleeping").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        as(fleet, "tenant-viewer").get(devices(fleet) + "?limit=abc").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        as(fleet, "tenant-viewer").get(devices(fleet) + "?enabled=maybe").then().statusCode(400)
                .body("errors[0].field", equalTo("enabled"));
    }

    @Test
    void importCreatesValidRowsWholeAndReportsInvalidOnesByRowAndField() {
        String tenant = RegistryApi.newTenant();
        as(tenant, "tenant-admin").body(Map.of("id", "g1")).post(groups(tenant)).then().statusCode(201);
        as(tenant, "tenant-admin").body(Map.of("id", "exists")).post(devices(tenant)).then().statusCode(201);
        String json = """
                [
                  {"id": "ok-1", "labels": {"site": "x"}, "groups": ["g1"], "credential": {}},
                  {"id": "bad id"},
                  {"id": "ok-2", "groups": ["g1", "missing"]},
                  {"id": "exists"},
                  {"id": "ok-1"},
                  {"id": "ok-3", "enabled": "maybe"},
                  "not an object",
                  {"id": "ok-4", "credential": {"secret": "a-factory-secret-42"}}
                ]""";
        JsonPath report = as(tenant, "tenant-admin").body(json).post(devices(tenant) + "/import")
                .then().statusCode(200).body("created", equalTo(2)).body("failed", equalTo(6))
                .body("results.row", contains(1, 2, 3, 4, 5, 6, 7, 8))
                .body("results.status", contains("created", "failed", "failed", "failed", "failed", "failed",
                        "failed", "created"))
                .extract().jsonPath();
        assertEquals(43, report.getString("results[0].secret").length());
        assertNull(report.get("results[7].secret"));
        assertEquals("id", report.getString("results[1].errors[0].field"));
        assertEquals("groups[1]", report.getString("results[2].errors[0].field"));
        assertEquals("id", report.getString("results[3].errors[0].field"));
        assertEquals("duplicate of row 1", report.getString("results[4].errors[0].detail"));
        assertEquals("enabled", report.getString("results[5].errors[0].field"));

        as(tenant, "tenant-viewer").get(devices(tenant) + "/ok-1").then().statusCode(200).body("groups", contains("g1"));
        as(tenant, "tenant-viewer").get(devices(tenant) + "/ok-2").then().statusCode(404);
        as(tenant, "tenant-admin").get(devices(tenant) + "/ok-1/credentials").then().body("$", hasSize(1));
        as(tenant, "tenant-admin").get(devices(tenant) + "/ok-4/credentials").then().body("$", hasSize(1));
    }

    @Test
    void csvAndNdjsonImportsReportRowsTheSameWay() {
        String tenant = RegistryApi.newTenant();
        String csv = "id,enabled,labels,groups\n"
                + "c-1,true,site=a;model=m1,\n"
                + "c-2,sometimes,,\n"
                + "\"c-3\",false,site=b,\n";
        as(tenant, "tenant-admin").contentType("text/csv").body(csv).post(devices(tenant) + "/import")
                .then().statusCode(200).body("created", equalTo(2))
                .body("results[1].row", equalTo(2)).body("results[1].errors[0].field", equalTo("enabled"));
        as(tenant, "tenant-viewer").get(devices(tenant) + "/c-1").then().body("labels.model", equalTo("m1"));
        as(tenant, "tenant-viewer").get(devices(tenant) + "/c-3").then().body("enabled", equalTo(false));

        as(tenant, "tenant-admin").contentType("application/x-ndjson").body("{\"id\":\"n-1\"}\n{oops\n\n{\"id\":\"n-2\"}\n")
                .post(devices(tenant) + "/import")
                .then().statusCode(200).body("created", equalTo(2)).body("results[1].status", equalTo("failed"));

        as(tenant, "tenant-admin").contentType("text/csv").body("id,colour\nx,red\n").post(devices(tenant) + "/import")
                .then().statusCode(400).body("errors[0].field", equalTo("header[1]"));
    }

    @Test
    void importOfMoreThanTenThousandRowsIsRefusedWhole() {
        String tenant = RegistryApi.newTenant();
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i <= 10_000; i++) {
            ndjson.append("{\"id\":\"x-").append(i).append("\"}\n");
        }
        as(tenant, "tenant-admin").contentType("application/x-ndjson").body(ndjson.toString())
                .post(devices(tenant) + "/import").then().statusCode(413).contentType("application/problem+json");
        as(tenant, "tenant-viewer").get(devices(tenant)).then().body("items", hasSize(0));
    }

    private static List<String> pageThrough(String firstPage) {
        List<String> ids = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        do {
            String url = firstPage + (cursor == null ? "" : "&cursor=" + cursor);
            JsonPath page = as(fleet, "tenant-viewer").get(url).then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
            if (cursor != null && !cursors.add(cursor)) {
                throw new AssertionError("cursor repeated: " + cursor);
            }
        } while (cursor != null);
        return ids;
    }
}

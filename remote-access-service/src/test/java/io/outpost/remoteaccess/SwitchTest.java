package io.outpost.remoteaccess;

import static io.outpost.remoteaccess.Api.admin;
import static io.outpost.remoteaccess.Api.base;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.registryview.GroupDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.RegistryRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The switches over REST: validation, who may set them, which one decides, and their audit. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class SwitchTest {
    @Inject
    DeviceDirectory devices;
    @Inject
    GroupDirectory groups;
    @Inject
    DataSource dataSource;

    private String tenant;

    @BeforeEach
    void aFleet() {
        tenant = RegistryRecords.newTenant();
        Api.group(groups, tenant, "scanners");
        Api.onlineDevice(devices, dataSource, tenant, "scanner-7", List.of("scanners"));
        Api.onlineDevice(devices, dataSource, tenant, "till-1", List.of());
    }

    @Test
    void offByDefault() {
        admin(tenant).get(base(tenant) + "/devices/till-1/remote-access").then().statusCode(200)
                .body("enabled", equalTo(false)).body("decidedBy", equalTo("default"));
        admin(tenant).get(base(tenant) + "/remote-access/fleet").then().statusCode(404);
    }

    @Test
    void badSwitchesAreRefusedNamingTheField() {
        String fleet = base(tenant) + "/remote-access/fleet";
        admin(tenant).body(Map.of("enabled", true, "ports", List.of(22), "reason", "r")).put(fleet).then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItems("until"));
        admin(tenant).body(Map.of("enabled", true, "until", Instant.now().plusSeconds(8 * 86400).toString(),
                "ports", List.of(22), "reason", "r")).put(fleet).then().statusCode(400)
                .body("errors.field", hasItems("until"));
        admin(tenant).body(Map.of("enabled", true, "until", Instant.now().plusSeconds(60).toString(),
                "ports", List.of(70000), "reason", "r")).put(fleet).then().statusCode(400)
                .body("errors.field", hasItems("ports[0]"));
        admin(tenant).body(Map.of("enabled", true, "until", Instant.now().plusSeconds(60).toString(),
                "ports", List.of(22))).put(fleet).then().statusCode(400).body("errors.field", hasItems("reason"));
        admin(tenant).body(Map.of("enabled", true, "until", Instant.now().plusSeconds(60).toString(),
                "ports", List.of(22), "reason", "r", "tll", 1)).put(fleet).then().statusCode(400);
    }

    @Test
    void onlyAdminsSwitchAndOtherTenantsSeeNothing() {
        Api.operator(tenant).body(Api.on(22)).put(base(tenant) + "/remote-access/fleet").then().statusCode(403);
        Api.as(RegistryRecords.newTenant(), "tenant-admin").body(Api.on(22))
                .put(base(tenant) + "/remote-access/fleet").then().statusCode(404);
        admin(tenant).body(Api.on(22)).put(base(tenant) + "/groups/no-such-group/remote-access").then()
                .statusCode(404);
        admin(tenant).body(Api.on(22)).put(base(tenant) + "/devices/no-such-device/remote-access").then()
                .statusCode(404);
    }

    @Test
    void theDeviceOverridesItsGroupsWhichOverrideTheFleet() {
        String scanner = base(tenant) + "/devices/scanner-7/remote-access";
        admin(tenant).body(Api.on(22)).put(base(tenant) + "/remote-access/fleet").then().statusCode(200);
        admin(tenant).get(scanner).then().body("enabled", equalTo(true)).body("decidedBy", equalTo("fleet"));

        admin(tenant).body(Api.on(22, 8080)).put(base(tenant) + "/groups/scanners/remote-access").then()
                .statusCode(200);
        admin(tenant).get(scanner).then().body("decidedBy", equalTo("group")).body("ports", equalTo(List.of(22, 8080)))
                .body("groups", equalTo(List.of("scanners")));
        admin(tenant).get(base(tenant) + "/devices/till-1/remote-access").then().body("decidedBy", equalTo("fleet"))
                .body("ports", equalTo(List.of(22)));

        admin(tenant).body(Api.off()).put(scanner).then().statusCode(200);
        admin(tenant).get(scanner).then().body("enabled", equalTo(false)).body("decidedBy", equalTo("device"));

        admin(tenant).delete(scanner).then().statusCode(204);
        admin(tenant).get(scanner).then().body("enabled", equalTo(true)).body("decidedBy", equalTo("group"));
        admin(tenant).get(base(tenant) + "/remote-access/audit?type=SWITCH_SET,SWITCH_REMOVED").then()
                .statusCode(200).body("items.type", equalTo(List.of("SWITCH_REMOVED", "SWITCH_SET", "SWITCH_SET",
                        "SWITCH_SET"))).body("items[0].before.enabled", equalTo(false))
                .body("items[3].scope", equalTo("fleet"));
    }
}

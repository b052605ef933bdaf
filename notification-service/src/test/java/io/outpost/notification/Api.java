package io.outpost.notification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.outpost.registryview.DeviceDirectory;
import io.outpost.registryview.GroupDirectory;
import io.outpost.testsupport.FakeBridge;
import io.outpost.testsupport.RegistryRecords;
import io.outpost.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Calls the notification API in tests, and plays the registry and the bridge on Kafka. */
final class Api {
    static final Duration WITHIN = Duration.ofSeconds(20);

    private Api() {
    }

    static String notifications(String tenant) {
        return "/api/v1/tenants/" + tenant + "/notifications";
    }

    static RequestSpecification as(String tenant, String role) {
        return given().auth().oauth2(TestTokens.forTenant(tenant, role)).contentType(ContentType.JSON);
    }

    static RequestSpecification operator(String tenant) {
        return as(tenant, "tenant-operator");
    }

    /** Registers the device in these groups and waits until this instance's view has it so. */
    static void device(DeviceDirectory directory, String tenant, String device, List<String> groups) {
        RegistryRecords.put(tenant, device, true, "correct-horse-battery-staple", groups);
        await(tenant + "/" + device + " in the registry view").atMost(WITHIN).until(() -> directory
                .find(tenant + "/" + device).filter(record -> record.groups().equals(groups)).isPresent());
    }

    static void group(GroupDirectory groups, String tenant, String group) {
        RegistryRecords.putGroup(tenant, group);
        await("group " + tenant + "/" + group + " in the registry view").atMost(WITHIN)
                .until(() -> groups.exists(tenant, group));
    }

    /** Connects the device as the bridge would tell it and waits until the mailbox holds it online. */
    static String online(DataSource dataSource, String tenant, String device) {
        return FakeBridge.connected(dataSource, tenant, device);
    }
}

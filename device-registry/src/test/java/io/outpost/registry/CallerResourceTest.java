package io.outpost.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class CallerResourceTest {

    @Test
    void anonymousCallerIsRefusedWith401() {
        given().when().get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void callerSeesTheTenantsAndOutpostRolesOfItsToken() {
        String token = TestTokens.mint("alice", List.of("acme", "globex"), "tenant-operator", "offline_access");

        given().auth().oauth2(token).when().get("/api/v1/me")
                .then().statusCode(200)
                .body("subject", equalTo("alice"))
                .body("tenants", contains("acme", "globex"))
                .body("roles", contains("tenant-operator"));
    }
}

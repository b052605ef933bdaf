package io.outpost.remoteaccess;

import java.util.List;

import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.OidcTestResource;
import io.outpost.testsupport.PostgresTestResource;
import io.outpost.testsupport.ServiceEndpointsTestBase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OidcTestResource.class)
class RemoteAccessServiceEndpointsTest extends ServiceEndpointsTestBase {

    @Override
    protected List<String> readinessChecks() {
        return List.of(KAFKA_CHECK, DATABASE_CHECK);
    }
}

package io.outpost.bridge;

import java.util.List;

import io.outpost.bridge.delivery.OutboundReadiness;
import io.outpost.registryview.RegistryViewReadiness;
import io.outpost.testsupport.KafkaTestResource;
import io.outpost.testsupport.ServiceEndpointsTestBase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class MqttBridgeEndpointsTest extends ServiceEndpointsTestBase {

    @Override
    protected List<String> readinessChecks() {
        return List.of(KAFKA_CHECK, RegistryViewReadiness.NAME, OutboundReadiness.NAME);
    }
}

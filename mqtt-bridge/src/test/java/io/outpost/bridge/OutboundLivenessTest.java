package io.outpost.bridge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;

import io.outpost.bridge.delivery.OutboundListener;
import io.outpost.bridge.delivery.OutboundReadiness;
import io.outpost.bridge.mqtt.MqttGateway;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A node whose outbound listener is not live (not yet positioned, or restarting a failed consumer) could miss a
 * message for a device that connects now, so it refuses CONNECTs with "server unavailable" and reports not ready. The
 * listener's liveness is the one thing stood in for here (a broker failure cannot be staged on the shared broker);
 * everything else is the running bridge.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class OutboundLivenessTest {
    @Inject
    MqttGateway gateway;
    @Inject
    DeviceDirectory directory;

    private final AtomicBoolean live = new AtomicBoolean(true);

    @BeforeEach
    void standInForTheListenersLiveness() {
        QuarkusMock.installMockForType(new OutboundListener() {
            @Override
            public boolean live() {
                return live.get();
            }
        }, OutboundListener.class);
    }

    @Test
    void connectIsRefusedWithServerUnavailableUntilTheOutboundListenerIsLiveAgain() throws Exception {
        String tenant = TestDevices.newTenant();
        TestDevices.register(directory, tenant, "van");

        live.set(false);

        Mqtt5BlockingClient v5 = Clients.v5(gateway.port());
        Mqtt5ConnAckException refused5 = assertThrows(Mqtt5ConnAckException.class, () -> v5.connectWith()
                .simpleAuth().username("van@" + tenant).password(secret()).applySimpleAuth().send());
        assertEquals(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE, refused5.getMqttMessage().getReasonCode());
        Mqtt3BlockingClient v3 = Clients.v3(gateway.port());
        Mqtt3ConnAckException refused3 = assertThrows(Mqtt3ConnAckException.class, () -> v3.connectWith()
                .simpleAuth().username("van@" + tenant).password(secret()).applySimpleAuth().send());
        assertEquals(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE, refused3.getMqttMessage().getReturnCode());

        live.set(true);

        Clients.connectedV5(gateway.port(), tenant, "van").disconnect();
    }

    @Test
    void readinessIsDownWhileTheOutboundListenerIsNotLive() {
        live.set(false);

        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("checks.findAll { it.status == 'DOWN' }.name", hasItem(OutboundReadiness.NAME));

        live.set(true);

        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    private static byte[] secret() {
        return TestDevices.SECRET.getBytes(StandardCharsets.UTF_8);
    }
}

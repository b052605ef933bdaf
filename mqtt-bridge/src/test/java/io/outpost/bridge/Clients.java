package io.outpost.bridge;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;

/** Real MQTT clients (HiveMQ) pointed at the bridge under test. */
public final class Clients {
    private Clients() {
    }

    public static Mqtt5BlockingClient v5(int port) {
        return v5(port, new CompletableFuture<>());
    }

    /** A client that completes {@code serverDisconnect} with the reason code of a DISCONNECT the server sends. */
    public static Mqtt5BlockingClient v5(int port, CompletableFuture<Mqtt5DisconnectReasonCode> serverDisconnect) {
        return Mqtt5Client.builder().identifier(UUID.randomUUID().toString()).serverHost("127.0.0.1")
                .serverPort(port)
                .addDisconnectedListener(context -> {
                    if (context.getCause() instanceof Mqtt5DisconnectException disconnect) {
                        serverDisconnect.complete(disconnect.getMqttMessage().getReasonCode());
                    }
                })
                .buildBlocking();
    }

    public static Mqtt5BlockingClient connectedV5(int port, String tenant, String device,
            CompletableFuture<Mqtt5DisconnectReasonCode> serverDisconnect) {
        Mqtt5BlockingClient client = v5(port, serverDisconnect);
        client.connectWith().simpleAuth().username(device + "@" + tenant)
                .password(TestDevices.SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        return client;
    }

    public static Mqtt3BlockingClient v3(int port) {
        return Mqtt3Client.builder().identifier(UUID.randomUUID().toString()).serverHost("127.0.0.1")
                .serverPort(port).buildBlocking();
    }

    public static Mqtt5BlockingClient connectedV5(int port, String tenant, String device) {
        return connectedV5(port, tenant, device, new CompletableFuture<>());
    }

    public static Mqtt3BlockingClient connectedV3(int port, String tenant, String device) {
        Mqtt3BlockingClient client = v3(port);
        client.connectWith().simpleAuth().username(device + "@" + tenant)
                .password(TestDevices.SECRET.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        return client;
    }
}

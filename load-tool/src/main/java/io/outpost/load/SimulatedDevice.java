package io.outpost.load;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;

/**
 * One simulated device: its own MQTT 5 connection, optionally from a given local address. With a notification filter
 * it subscribes to {@code devices/{device}/notifications/{filter}} on every connect and counts what arrives in the
 * {@link NotificationTally}.
 */
final class SimulatedDevice {
    private final Identity identity;
    private final Mqtt5AsyncClient client;
    private final String topic;
    private final String notificationFilter;
    private final NotificationTally tally;
    private final DeviceNotifications notifications = new DeviceNotifications();

    /** @param notificationFilter below {@code notifications/}, e.g. {@code #}; null to take no notifications */
    SimulatedDevice(Identity identity, String tenant, String host, int port, String sourceAddress,
            String notificationFilter, NotificationTally tally) {
        this.identity = identity;
        this.topic = "devices/" + identity.device() + "/telemetry";
        this.notificationFilter = notificationFilter == null ? null
                : "devices/" + identity.device() + "/notifications/" + notificationFilter;
        this.tally = tally;
        var transport = MqttClientTransportConfig.builder().serverHost(host).serverPort(port);
        if (sourceAddress != null) {
            // Each local address has its own ~28,000 ephemeral ports towards one bridge address.
            transport.localAddress(new InetSocketAddress(sourceAddress, 0));
        }
        this.client = Mqtt5Client.builder().identifier(identity.device()).transportConfig(transport.build())
                .simpleAuth().username(identity.device() + "@" + tenant)
                .password(identity.secret().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildAsync();
        if (this.notificationFilter != null) {
            client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onPublish);
        }
    }

    String device() {
        return identity.device();
    }

    boolean connected() {
        return client.getState().isConnected();
    }

    DeviceNotifications notifications() {
        return notifications;
    }

    /** Connects and, with a notification filter, subscribes; a refused subscription disconnects and fails. */
    CompletableFuture<Void> connect() {
        notifications.sessionStarted();
        CompletableFuture<Void> connected = client.connectWith().keepAlive(300).send().thenApply(ack -> null);
        if (notificationFilter == null) {
            return connected;
        }
        return connected.thenCompose(ignored -> subscribe().exceptionallyCompose(
                error -> disconnect().thenCompose(disconnected -> CompletableFuture.failedFuture(error))));
    }

    private CompletableFuture<Void> subscribe() {
        return client.subscribeWith().topicFilter(notificationFilter).qos(MqttQos.AT_LEAST_ONCE).send()
                .thenAccept(subAck -> {
                    if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                        throw new IllegalStateException("SUBACK " + subAck.getReasonCodes() + " for "
                                + notificationFilter);
                    }
                });
    }

    private void onPublish(Mqtt5Publish publish) {
        tally.arrived(notifications, OutpostMessageId.of(publish), System.currentTimeMillis());
    }

    CompletableFuture<Void> disconnect() {
        return client.disconnect().exceptionally(error -> null);
    }

    /** Completes when the bridge acknowledged (QoS 1) or the message left (QoS 0); fails if it was refused. */
    CompletableFuture<Void> publish(byte[] payload, int qos) {
        return client.publishWith().topic(topic).qos(qos == 1 ? MqttQos.AT_LEAST_ONCE : MqttQos.AT_MOST_ONCE)
                .payload(payload).send().thenAccept(SimulatedDevice::requireAccepted);
    }

    private static void requireAccepted(Mqtt5PublishResult result) {
        if (result.getError().isPresent()) {
            throw new IllegalStateException(result.getError().get());
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1 && qos1.getPubAck().getReasonCode().isError()) {
            throw new IllegalStateException("PUBACK " + qos1.getPubAck().getReasonCode());
        }
    }
}

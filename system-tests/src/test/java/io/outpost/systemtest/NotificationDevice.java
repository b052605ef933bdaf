package io.outpost.systemtest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;

/** A device connected to a bridge node that counts the notifications it gets, by message id, in this session. */
final class NotificationDevice implements AutoCloseable {
    private final Mqtt5AsyncClient client;
    private final Map<String, Integer> received = new ConcurrentHashMap<>();
    private final Map<String, Long> firstAt = new ConcurrentHashMap<>();

    private NotificationDevice(Mqtt5AsyncClient client) {
        this.client = client;
    }

    /** Connects, and subscribes to its notifications unless {@code subscribe} is false. */
    static NotificationDevice connect(int port, String tenant, String device, boolean subscribe)
            throws InterruptedException {
        NotificationDevice connected = new NotificationDevice(Devices.connect(port, tenant, device));
        if (subscribe) {
            connected.subscribe(device);
        }
        return connected;
    }

    void subscribe(String device) {
        client.subscribeWith().topicFilter("devices/" + device + "/notifications/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(publish -> {
                    String id = publish.getUserProperties().asList().stream()
                            .filter(property -> property.getName().toString().equals("outpost-message-id"))
                            .map(Mqtt5UserProperty::getValue).map(Object::toString).findFirst().orElse("no-id");
                    firstAt.putIfAbsent(id, System.nanoTime());
                    received.merge(id, 1, Integer::sum);
                }).send().join();
    }

    /** How many times this session got the notification. */
    int times(String id) {
        return received.getOrDefault(id, 0);
    }

    /** {@link System#nanoTime()} of its first arrival, or null. */
    Long firstAt(String id) {
        return firstAt.get(id);
    }

    List<String> ids() {
        return List.copyOf(received.keySet());
    }

    @Override
    public void close() {
        client.disconnect();
    }
}

package io.outpost.systemtest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

/**
 * A device with a real MQTT 5 client, subscribed to its commands: it records the id of every command it receives,
 * in arrival order, and answers as told.
 */
final class CommandDevice implements AutoCloseable {
    enum Behaviour {
        /** PUBACK, then reply on {@code commands/response/{id}/succeeded} with {@code {"done":"<name>"}}. */
        REPLY,
        /** PUBACK only. */
        ACKNOWLEDGE,
        /** Never PUBACK: the command stays in flight on the bridge. */
        HOLD
    }

    private final Mqtt5AsyncClient client;
    private final String device;
    private final Behaviour behaviour;
    private final List<String> received = new CopyOnWriteArrayList<>();

    private CommandDevice(Mqtt5AsyncClient client, String device, Behaviour behaviour) {
        this.client = client;
        this.device = device;
        this.behaviour = behaviour;
    }

    static CommandDevice connect(int port, String tenant, String device, Behaviour behaviour)
            throws InterruptedException {
        CommandDevice commandDevice = new CommandDevice(Devices.connect(port, tenant, device), device, behaviour);
        commandDevice.subscribe();
        return commandDevice;
    }

    /** The ids received so far, duplicates included, in arrival order. */
    List<String> received() {
        return List.copyOf(received);
    }

    /** Waits until at least {@code count} commands have arrived; returns what arrived. */
    List<String> awaitReceived(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return received();
    }

    /**
     * Watches for {@code during}: false as soon as more than {@code count} commands have arrived, true if none more
     * came. A bounded check that nothing more arrives, not a sleep.
     */
    boolean receivesNoMoreThan(int count, Duration during) throws InterruptedException {
        long deadline = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < deadline) {
            if (received.size() > count) {
                return false;
            }
            Thread.sleep(10);
        }
        return received.size() <= count;
    }

    @Override
    public void close() {
        if (client.getState().isConnected()) {
            client.disconnect().join();
        }
    }

    private void subscribe() {
        client.subscribeWith().topicFilter("devices/" + device + "/commands/request/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(this::onCommand).manualAcknowledgement(behaviour == Behaviour.HOLD).send().join();
    }

    private void onCommand(Mqtt5Publish command) {
        // devices/{d}/commands/request/{commandId}/{name}
        String[] levels = command.getTopic().toString().split("/");
        String id = levels[4];
        received.add(id);
        if (behaviour == Behaviour.REPLY) {
            client.publishWith().topic("devices/" + device + "/commands/response/" + id + "/succeeded")
                    .qos(MqttQos.AT_LEAST_ONCE).contentType("application/json")
                    .payload(("{\"done\":\"" + levels[5] + "\"}").getBytes(StandardCharsets.UTF_8)).send();
        }
    }
}

package io.outpost.load;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;

/**
 * The baseline: a backend MQTT client publishes commands straight to a plain broker at QoS 1, where devices with
 * persistent sessions pick them up; accepted means the broker's PUBACK. No expiry, reply or mailbox beyond the
 * broker's session queue.
 */
final class BrokerCommandChannel implements CommandChannel {
    private final Mqtt5AsyncClient backend;

    BrokerCommandChannel(String host, int port) {
        this.backend = Mqtt5Client.builder().identifier("load-backend").serverHost(host).serverPort(port).buildAsync();
        backend.connect().join();
    }

    @Override
    public CompletableFuture<Boolean> send(String device, long seq) {
        return backend.publishWith().topic("devices/" + device + "/commands/request/" + seq + "/c" + seq)
                .qos(MqttQos.AT_LEAST_ONCE).payload(("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8))
                .send().thenApply(result -> result.getError().isEmpty());
    }

    @Override
    public void close() {
        backend.disconnect().join();
    }
}

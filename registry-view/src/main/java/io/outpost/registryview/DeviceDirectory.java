package io.outpost.registryview;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.Topics;
import io.outpost.messaging.TopicFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * This instance's in-memory view of every device, read from the compacted {@code outpost.registry.devices.v1}: from
 * the beginning at start-up (the instance is not ready until it has caught up), then following changes. Services look
 * devices up here (the bridge to authenticate, owners to check a device exists), never in the registry's database or
 * API.
 */
@ApplicationScoped
public class DeviceDirectory {
    private static final Logger LOG = Logger.getLogger(DeviceDirectory.class);

    private final Map<String, RegistryDevice> devices = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, RegistryDevice>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean caughtUp;
    private TopicFollower follower;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "quarkus.application.name")
    String application;

    void start(@Observes StartupEvent start) {
        follower = new TopicFollower(Topics.REGISTRY_DEVICES, TopicFollower.Start.BEGINNING, kafkaConfig,
                application + "-registry-view", this::apply, () -> {
                    caughtUp = true;
                    LOG.infof("registry view caught up: %d devices", devices.size());
                });
        follower.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        follower.stop();
    }

    /** The device with this record key ({@code tenant/device}), if the registry has it. */
    public Optional<RegistryDevice> find(String key) {
        return Optional.ofNullable(devices.get(key));
    }

    /** True once every record that existed at start-up has been read. */
    /** The ids of the tenant's devices in {@code group}, sorted (a scan of the view: fine for 100,000s of devices). */
    public List<String> members(String tenant, String group) {
        return devices.values().stream()
                .filter(device -> device.tenant().equals(tenant) && device.groups() != null
                        && device.groups().contains(group))
                .map(RegistryDevice::device).sorted().toList();
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    public int size() {
        return devices.size();
    }

    /** Called with the key and the new record (null when the device was deleted) for every change after catch-up. */
    public void onChange(BiConsumer<String, RegistryDevice> listener) {
        listeners.add(listener);
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        RegistryDevice device = null;
        if (record.value() != null) {
            try {
                device = json.readValue(record.value(), RegistryDevice.class);
            } catch (IOException e) {
                LOG.warnf("skipped an unreadable registry record for %s: %s", record.key(), e.getMessage());
                return;
            }
            devices.put(record.key(), device);
        } else {
            devices.remove(record.key());
        }
        if (caughtUp) {
            for (BiConsumer<String, RegistryDevice> listener : listeners) {
                listener.accept(record.key(), device);
            }
        }
    }
}

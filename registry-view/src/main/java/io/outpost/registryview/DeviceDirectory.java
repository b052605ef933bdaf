package io.outpost.registryview;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * This instance's in-memory view of every device, read from the compacted {@code outpost.registry.devices.v1}: from
 * the beginning at start-up (the instance is not ready until it has caught up), then following changes. Services look
 * devices up here (the bridge to authenticate, owners to check a device exists), never in the registry's database or
 * API.
 * <p>
 * Group and fleet questions ({@link #members}, {@link #tenantDevices} and their counts) are answered from an index
 * kept beside the records, in time proportional to the answer. The index follows each record a moment after
 * {@link #find} does: a caller may see a change in one before the other, never a device lost from both.
 */
@ApplicationScoped
public class DeviceDirectory {
    private final MembershipIndex index = new MembershipIndex();
    private final List<BiConsumer<String, RegistryDevice>> listeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<RegistryDevice, Set<String>>> joinListeners = new CopyOnWriteArrayList<>();
    private CompactedTopicView<RegistryDevice> view;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "quarkus.application.name")
    String application;

    @PostConstruct
    void create() {
        view = new CompactedTopicView<>(Topics.REGISTRY_DEVICES, RegistryDevice.class, "devices", json, kafkaConfig,
                application + "-registry-view", this::changed);
    }

    void start(@Observes StartupEvent start) {
        view.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        view.stop();
    }

    /** The device with this record key ({@code tenant/device}), if the registry has it. */
    public Optional<RegistryDevice> find(String key) {
        return view.get(key);
    }

    /** The ids of the tenant's devices in {@code group}, sorted; empty for an empty or unknown group. */
    public List<String> members(String tenant, String group) {
        return index.members(tenant, group);
    }

    /** How many of the tenant's devices are in {@code group}, in constant time. */
    public int memberCount(String tenant, String group) {
        return index.memberCount(tenant, group);
    }

    /** Whether the device exists and is in {@code group}. */
    public boolean isMember(String tenant, String group, String device) {
        return find(tenant + "/" + device).map(found -> found.groups() != null && found.groups().contains(group))
                .orElse(false);
    }

    /** The ids of every device of the tenant (its fleet), sorted. */
    public List<String> tenantDevices(String tenant) {
        return index.devices(tenant);
    }

    /** How many devices the tenant has, in constant time. */
    public int tenantCount(String tenant) {
        return index.deviceCount(tenant);
    }

    /** True once every record that existed at start-up has been read. */
    public boolean caughtUp() {
        return view.caughtUp();
    }

    /**
     * Runs {@code task} once the view has caught up after start-up (at once if it has), e.g. to act on what changed
     * while the instance was down, which {@link #onChange} does not report; it must not block.
     */
    public void whenCaughtUp(Runnable task) {
        view.whenCaughtUp(task);
    }

    /** How many devices the view holds, of every tenant. */
    public int size() {
        return view.size();
    }

    /** Called with the key and the new record (null when the device was deleted) for every change after catch-up. */
    public void onChange(BiConsumer<String, RegistryDevice> listener) {
        listeners.add(listener);
    }

    /**
     * Called, after catch-up, with an existing device and the groups it just joined (not for a device that was just
     * created: it has never been online).
     */
    public void onGroupsJoined(BiConsumer<RegistryDevice, Set<String>> listener) {
        joinListeners.add(listener);
    }

    private void changed(String key, RegistryDevice before, RegistryDevice after) {
        index.update(before, after);
        if (view.caughtUp()) {
            for (BiConsumer<String, RegistryDevice> listener : listeners) {
                listener.accept(key, after);
            }
            Set<String> joined = joined(before, after);
            if (!joined.isEmpty()) {
                joinListeners.forEach(listener -> listener.accept(after, joined));
            }
        }
    }

    private static Set<String> joined(RegistryDevice before, RegistryDevice after) {
        if (before == null || after == null || after.groups() == null) {
            return Set.of();
        }
        Set<String> joined = new HashSet<>(after.groups());
        if (before.groups() != null) {
            joined.removeAll(before.groups());
        }
        return joined;
    }
}

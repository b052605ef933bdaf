package io.outpost.registryview;

import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.RegistryGroup;
import io.outpost.contracts.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * This instance's in-memory view of every group, read from the compacted {@code outpost.registry.groups.v1} like
 * {@link DeviceDirectory} reads the devices: it tells whether a group exists (an empty one does). Who belongs to a
 * group is on the device records: ask {@link DeviceDirectory#members}. The two topics are not ordered with each other,
 * so a device may name a group a moment before the group's own record arrives here.
 */
@ApplicationScoped
public class GroupDirectory {
    private CompactedTopicView<RegistryGroup> view;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "quarkus.application.name")
    String application;

    @PostConstruct
    void create() {
        view = new CompactedTopicView<>(Topics.REGISTRY_GROUPS, RegistryGroup.class, "groups", json, kafkaConfig,
                application + "-registry-groups", (key, before, after) -> {
                });
    }

    void start(@Observes StartupEvent start) {
        view.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        view.stop();
    }

    /** The group, if the registry has it. */
    public Optional<RegistryGroup> find(String tenant, String group) {
        return view.get(tenant + "/" + group);
    }

    public boolean exists(String tenant, String group) {
        return find(tenant, group).isPresent();
    }

    /** True once every group that existed at start-up has been read; before that, known groups look unknown. */
    public boolean caughtUp() {
        return view.caughtUp();
    }

    /** How many groups the view holds, of every tenant. */
    public int size() {
        return view.size();
    }
}

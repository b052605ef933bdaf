package io.outpost.kubernetes.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The services' Deployments: images, environment, probes, resources and security, per overlay. */
class WorkloadTest {

    /** The seven deployable services; each has exactly one Deployment in every overlay. */
    /**
     * Set by Quarkus's Kubernetes extension in every Deployment it generates, for a Kubernetes client; no Outpost
     * service reads it. The one variable allowed without a config key.
     */
    static final Set<String> ADDED_BY_QUARKUS = Set.of("KUBERNETES_NAMESPACE");

    static final Set<String> SERVICES = Set.of("device-registry", "mqtt-bridge", "telemetry-service",
            "command-service", "notification-service", "inquiry-service", "remote-access-service");

    static List<Deployment> deployments(String overlay) {
        return Overlays.ofKind(Overlays.render(overlay), "Deployment").stream()
                .map(d -> (Deployment) Strict.read(d)).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyServiceHasOneDeployment(String overlay) {
        Set<String> names = new TreeSet<>();
        deployments(overlay).forEach(d -> assertTrue(names.add(d.getMetadata().getName()), "twice: " + d));
        assertEquals(new TreeSet<>(SERVICES), names);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyImageIsTheOneTheImageBuildProduces(String overlay) {
        // ./outpost images names them outpost/<module>:<project version>; an overlay may put a registry in front.
        List<String> wrong = new ArrayList<>();
        for (Deployment d : deployments(overlay)) {
            String module = d.getMetadata().getName();
            Pattern expected = Pattern.compile("([^/\\s]+/)*outpost/" + Pattern.quote(module) + ":"
                    + Pattern.quote(Overlays.version()));
            for (Container c : containers(d)) {
                if (!expected.matcher(String.valueOf(c.getImage())).matches()) {
                    wrong.add(module + "/" + c.getName() + ": image " + c.getImage() + ", expected " + expected);
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyEnvironmentVariableSetsAConfigKeyOfItsService(String overlay) {
        List<String> wrong = new ArrayList<>();
        for (Deployment d : deployments(overlay)) {
            ServiceConfig config = ServiceConfig.of(d.getMetadata().getName());
            for (Container c : containers(d)) {
                for (EnvVar env : list(c.getEnv())) {
                    if (ADDED_BY_QUARKUS.contains(env.getName()) || onlyExpandedInto(env.getName(), c)
                            || config.keyOf(env.getName()) != null) {
                        continue;
                    }
                    wrong.add(d.getMetadata().getName() + ": " + env.getName() + " maps to no config key of the"
                            + " service (SmallRye Config: " + env.getName() + " <- a key whose letters and digits are"
                            + " these, other characters _)");
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void probesAskTheHealthEndpointsOnTheServicesHttpPort(String overlay) {
        List<String> wrong = new ArrayList<>();
        for (Deployment d : deployments(overlay)) {
            String module = d.getMetadata().getName();
            ServiceConfig config = ServiceConfig.of(module);
            if (!read(Overlays.module(module).resolve("pom.xml")).contains("<artifactId>quarkus-smallrye-health<")) {
                wrong.add(module + ": has no quarkus-smallrye-health, so no health endpoints");
            }
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                int port = httpPort(config, c);
                String root = "/" + config.properties.getOrDefault("quarkus.http.non-application-root-path", "q");
                Map<String, Probe> probes = new java.util.LinkedHashMap<>();
                probes.put("live", c.getLivenessProbe());
                probes.put("ready", c.getReadinessProbe());
                probes.put("started", c.getStartupProbe());
                probes.forEach((check, probe) -> {
                    String expected = root + "/health/" + check + " on port " + port;
                    if (probe == null || probe.getHttpGet() == null) {
                        wrong.add(module + ": no HTTP probe for " + expected);
                        return;
                    }
                    String actual = probe.getHttpGet().getPath() + " on port "
                            + resolve(probe.getHttpGet().getPort(), c);
                    if (!actual.equals(expected)) {
                        wrong.add(module + ": probe " + actual + ", expected " + expected);
                    }
                });
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyContainerHasRequestsAndLimitsAndRunsAsNonRootOnAReadOnlyRootFilesystem(String overlay) {
        List<String> wrong = new ArrayList<>();
        for (Deployment d : deployments(overlay)) {
            String module = d.getMetadata().getName();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            for (Container c : containers(d)) {
                var resources = c.getResources();
                for (String kind : List.of("cpu", "memory")) {
                    if (resources == null || resources.getRequests() == null || !resources.getRequests().containsKey(kind)) {
                        wrong.add(module + ": no " + kind + " request");
                    }
                    if (resources == null || resources.getLimits() == null || !resources.getLimits().containsKey(kind)) {
                        wrong.add(module + ": no " + kind + " limit");
                    }
                }
                var container = c.getSecurityContext();
                var podContext = pod.getSecurityContext();
                boolean nonRoot = container != null && Boolean.TRUE.equals(container.getRunAsNonRoot())
                        || podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
                Long user = container != null && container.getRunAsUser() != null ? container.getRunAsUser()
                        : podContext == null ? null : podContext.getRunAsUser();
                if (!nonRoot || user != null && user == 0) {
                    wrong.add(module + ": not runAsNonRoot (user " + user + ")");
                }
                if (container == null || !Boolean.TRUE.equals(container.getReadOnlyRootFilesystem())) {
                    wrong.add(module + ": root filesystem not read-only");
                }
                if (container == null || !Boolean.FALSE.equals(container.getAllowPrivilegeEscalation())) {
                    wrong.add(module + ": allowPrivilegeEscalation not false");
                }
                // With a read-only root the JVM and Vert.x need a writable /tmp.
                boolean tmp = list(c.getVolumeMounts()).stream().filter(m -> m.getMountPath().equals("/tmp"))
                        .map(VolumeMount::getName).anyMatch(name -> list(pod.getVolumes()).stream()
                                .anyMatch(v -> v.getName().equals(name) && v.getEmptyDir() != null));
                if (!tmp) {
                    wrong.add(module + ": no emptyDir mounted at /tmp");
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void productionRunsEveryServiceTwiceAtLeast() {
        List<String> wrong = new ArrayList<>();
        for (Deployment d : deployments("production")) {
            if (d.getSpec().getReplicas() == null || d.getSpec().getReplicas() < 2) {
                wrong.add(d.getMetadata().getName() + ": replicas " + d.getSpec().getReplicas());
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** An env var only there to be expanded into another, as POD_IP into $(POD_IP) of the relay's node URL. */
    static boolean onlyExpandedInto(String name, Container c) {
        return list(c.getEnv()).stream().anyMatch(e -> e.getValue() != null && e.getValue().contains("$(" + name + ")"));
    }

    /** The port Quarkus serves /q/health on: the management port if enabled, otherwise the HTTP port. */
    static int httpPort(ServiceConfig config, Container c) {
        Map<String, String> p = config.properties;
        if ("true".equals(p.get("quarkus.management.enabled"))) {
            return Integer.parseInt(env(c, "QUARKUS_MANAGEMENT_PORT", p.getOrDefault("quarkus.management.port", "9000")));
        }
        return Integer.parseInt(env(c, "QUARKUS_HTTP_PORT", p.getOrDefault("quarkus.http.port", "8080")));
    }

    static int resolve(IntOrString port, Container c) {
        if (port == null) {
            return -1;
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return list(c.getPorts()).stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst().orElse(-1);
    }

    private static String env(Container c, String name, String otherwise) {
        return list(c.getEnv()).stream().filter(e -> e.getName().equals(name) && e.getValue() != null)
                .map(EnvVar::getValue).findFirst().orElse(otherwise);
    }

    /** The containers and the init containers of a Deployment's pods. */
    static List<Container> containers(Deployment d) {
        List<Container> all = new ArrayList<>(d.getSpec().getTemplate().getSpec().getContainers());
        all.addAll(list(d.getSpec().getTemplate().getSpec().getInitContainers()));
        return all;
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

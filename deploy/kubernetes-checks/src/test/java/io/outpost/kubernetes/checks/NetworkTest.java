package io.outpost.kubernetes.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;

/**
 * Only the bridge and the ingress controller are reachable from outside: ingress is denied by default in the
 * namespace; the only rule open to anyone is the bridge's 8883/8443; the only LoadBalancer is the bridge's on
 * 8883/8443; the REST services accept the ingress controller, every service Prometheus, and relay nodes each other.
 */
class NetworkTest {

    private static final Set<String> REST = Set.of("device-registry", "telemetry-service", "command-service",
            "notification-service", "inquiry-service", "remote-access-service");

    private static List<NetworkPolicy> policies(String overlay) {
        return Overlays.ofKind(Overlays.render(overlay), "NetworkPolicy").stream()
                .map(d -> (NetworkPolicy) Strict.read(d)).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void ingressIsDeniedByDefaultAndOpenToAnyoneOnlyOnTheBridgesTlsPorts(String overlay) {
        List<NetworkPolicy> policies = policies(overlay);
        assertTrue(policies.stream().anyMatch(p -> selectsAll(p.getSpec().getPodSelector())
                && p.getSpec().getPolicyTypes().contains("Ingress")
                && (p.getSpec().getIngress() == null || p.getSpec().getIngress().isEmpty())),
                "no default-deny policy (podSelector {}, policyTypes [Ingress], no rules)");
        List<String> open = new ArrayList<>();
        for (NetworkPolicy p : policies) {
            for (NetworkPolicyIngressRule rule : WorkloadTest.list(p.getSpec().getIngress())) {
                boolean fromAnyone = rule.getFrom() == null || rule.getFrom().isEmpty();
                if (!fromAnyone) {
                    continue;
                }
                Set<String> ports = new TreeSet<>();
                WorkloadTest.list(rule.getPorts()).forEach(port -> ports.add(String.valueOf(
                        port.getPort() == null ? "all" : port.getPort().getIntVal() != null
                                ? port.getPort().getIntVal() : port.getPort().getStrVal())));
                if (!Map.of("app.kubernetes.io/name", "mqtt-bridge").equals(p.getSpec().getPodSelector().getMatchLabels())
                        || !ports.equals(Set.of("8443", "8883"))) {
                    open.add(p.getMetadata().getName() + " lets anyone reach " + p.getSpec().getPodSelector()
                            + " on " + ports);
                }
            }
        }
        assertTrue(open.isEmpty(), String.join("\n", open));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theOnlyServiceReachableFromOutsideIsTheBridgesOnItsTlsPorts(String overlay) {
        List<String> exposed = new ArrayList<>();
        for (var doc : Overlays.ofKind(Overlays.render(overlay), "Service")) {
            Service s = (Service) Strict.read(doc);
            String type = s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
            if (!type.equals("ClusterIP")) {
                Set<Integer> ports = new TreeSet<>();
                s.getSpec().getPorts().stream().map(ServicePort::getPort).forEach(ports::add);
                exposed.add(s.getMetadata().getName() + " " + type + " " + ports + " " + s.getSpec().getSelector());
            }
        }
        assertEquals(List.of("outpost-mqtt LoadBalancer [8443, 8883] {app.kubernetes.io/name=mqtt-bridge}"), exposed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theIngressControllerPrometheusAndOtherRelayNodesGetInWhereTheyMust(String overlay) {
        List<NetworkPolicy> policies = policies(overlay);
        List<String> missing = new ArrayList<>();
        for (var doc : Overlays.ofKind(Overlays.render(overlay), "Deployment")) {
            Deployment d = (Deployment) Strict.read(doc);
            String name = d.getMetadata().getName();
            Map<String, String> pod = d.getSpec().getTemplate().getMetadata().getLabels();
            if (REST.contains(name) && !allowed(policies, pod, "ingress-nginx", null)) {
                missing.add(name + ": the ingress controller may not reach its http port");
            }
            if (!allowed(policies, pod, "monitoring", null)) {
                missing.add(name + ": Prometheus may not reach its http port");
            }
        }
        Map<String, String> relay = Map.of("app.kubernetes.io/name", "remote-access-service");
        if (!allowed(policies, relay, null, relay)) {
            missing.add("remote-access-service: relay nodes may not reach each other");
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }

    /** Whether some policy selecting these pod labels lets in, on port http, a peer from the namespace or pods. */
    private static boolean allowed(List<NetworkPolicy> policies, Map<String, String> pod, String namespace,
            Map<String, String> peerPod) {
        for (NetworkPolicy p : policies) {
            if (!matches(p.getSpec().getPodSelector(), pod)) {
                continue;
            }
            for (NetworkPolicyIngressRule rule : WorkloadTest.list(p.getSpec().getIngress())) {
                boolean port = WorkloadTest.list(rule.getPorts()).stream()
                        .anyMatch(pp -> pp.getPort() != null && "http".equals(pp.getPort().getStrVal()));
                for (NetworkPolicyPeer peer : WorkloadTest.list(rule.getFrom())) {
                    boolean ok = namespace != null
                            ? peer.getNamespaceSelector() != null && namespace.equals(
                                    peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                            : peer.getNamespaceSelector() == null && peer.getPodSelector() != null
                                    && matches(peer.getPodSelector(), peerPod);
                    if (ok && port) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean selectsAll(LabelSelector s) {
        return s != null && (s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty());
    }

    static boolean matches(LabelSelector s, Map<String, String> labels) {
        if (s == null || labels == null) {
            return false;
        }
        if (s.getMatchLabels() != null && !s.getMatchLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        for (LabelSelectorRequirement r : WorkloadTest.list(s.getMatchExpressions())) {
            boolean in = r.getValues().contains(labels.get(r.getKey()));
            if (!r.getOperator().equals("In") || !in) {
                return false;
            }
        }
        return true;
    }
}

package io.outpost.kubernetes.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one API host routes every REST path of every service to that service, and nothing else: each {@code @Path} of
 * each service's rest/ package (class path plus method path, parameters filled in) and the relay's public WebSocket
 * path match exactly one Ingress path, whose backend is the service that declares it. The relay nodes' internal path
 * matches none. Paths are matched as ingress-nginx does with use-regex: case-insensitive, anchored at the start.
 */
class IngressTest {

    private static final Pattern PATH = Pattern.compile("^\\s*@Path\\(\"([^\"]*)\"\\)");
    private static final Pattern VERB = Pattern.compile("^\\s*@(GET|POST|PUT|DELETE|PATCH|HEAD)\\b");
    private static final Pattern ROUTER = Pattern.compile("router\\.\\w+\\(\"([^\"]+)\"\\)");

    /** Every REST path of a module (sample values for its parameters). */
    static List<String> restPaths(String module) {
        List<String> routes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Overlays.module(module).resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.getParent().getFileName().toString().equals("rest")
                    && f.toString().endsWith(".java")).toList()) {
                String classPath = null;
                String pendingPath = null;
                boolean verb = false;
                for (String line : Files.readAllLines(file)) {
                    Matcher p = PATH.matcher(line);
                    if (p.find()) {
                        pendingPath = p.group(1);
                    } else if (VERB.matcher(line).find()) {
                        verb = true;
                    } else if (line.matches("\\s*(public\\s+)?(final\\s+)?class\\s.*")) {
                        classPath = pendingPath;
                        pendingPath = null;
                        verb = false;
                    } else if (line.matches("\\s*public\\s.*\\(.*")) {
                        if (verb && classPath != null) {
                            routes.add(sample(classPath + (pendingPath == null ? "" : pendingPath)));
                        }
                        pendingPath = null;
                        verb = false;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return routes;
    }

    private static String sample(String template) {
        return template.replace("{tenant}", "acme").replace("{device}", "truck-7").replaceAll("\\{[^}]+}", "p1")
                .replaceAll("/+$", "");
    }

    /** The relay's routes (RelayRoutes: Vert.x paths with :params, and the internal one built on NodeLinks's). */
    static Map<String, Boolean> relayPaths() {
        Path relay = Overlays.module("remote-access-service").resolve("src/main/java/io/outpost/remoteaccess/relay");
        try {
            String routes = Files.readString(relay.resolve("RelayRoutes.java"));
            String links = Files.readString(relay.resolve("NodeLinks.java"));
            Matcher internal = Pattern.compile("INTERNAL_PATH\\s*=\\s*\"([^\"]+)\"").matcher(links);
            assertTrue(internal.find(), "NodeLinks.INTERNAL_PATH not found");
            Map<String, Boolean> all = new TreeMap<>();
            Matcher m = ROUTER.matcher(routes);
            while (m.find()) {
                all.put(m.group(1).replaceAll(":\\w+", "p1"), true);
            }
            all.put(internal.group(1) + "t1/device", false);
            assertEquals(2, all.size(), "relay routes: " + all);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The backends of the Ingress outpost-api whose paths match a request path. */
    static List<String> backends(JsonNode ingress, String path) {
        List<String> found = new ArrayList<>();
        for (JsonNode rule : ingress.path("spec").path("rules")) {
            for (JsonNode p : rule.path("http").path("paths")) {
                if (Pattern.compile("^" + p.path("path").asText(), Pattern.CASE_INSENSITIVE).matcher(path).find()) {
                    found.add(p.path("backend").path("service").path("name").asText());
                }
            }
        }
        return found;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyRestPathOfEveryServiceReachesThatServiceAndNoOther(String overlay) {
        JsonNode ingress = Overlays.named(Overlays.render(overlay), "Ingress", "outpost-api");
        assertEquals("true", ingress.path("metadata").path("annotations")
                .path("nginx.ingress.kubernetes.io/use-regex").asText(), "regex paths need use-regex");
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String module : WorkloadTest.SERVICES) {
            for (String path : restPaths(module)) {
                checked++;
                List<String> to = backends(ingress, path);
                if (!to.equals(List.of(module))) {
                    wrong.add(path + " (" + module + ") goes to " + to);
                }
            }
        }
        relayPaths().forEach((path, routed) -> {
            List<String> to = backends(ingress, path);
            if (!to.equals(routed ? List.of("remote-access-service") : List.of())) {
                wrong.add(path + " (relay, " + (routed ? "public" : "internal") + ") goes to " + to);
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(checked > 40, "only " + checked + " REST paths found");
    }

    @Test
    void aPathOfOneServiceIsNotTakenForAnothers() {
        // given the production Ingress; when a command path is asked for; then only the command service has it
        JsonNode ingress = Overlays.named(Overlays.render("production"), "Ingress", "outpost-api");
        assertEquals(List.of("command-service"), backends(ingress, "/api/v1/tenants/acme/devices/truck-7/commands"));
        assertEquals(List.of(), backends(ingress, "/q/metrics"));
        assertTrue(restPaths("command-service").contains("/api/v1/tenants/acme/devices/truck-7/commands"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyIngressBackendIsARenderedServicePortOrKeycloaks(String overlay) {
        List<ObjectNode> docs = Overlays.render(overlay);
        List<String> wrong = new ArrayList<>();
        for (ObjectNode ingress : Overlays.ofKind(docs, "Ingress")) {
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                for (JsonNode p : rule.path("http").path("paths")) {
                    JsonNode backend = p.path("backend").path("service");
                    String name = backend.path("name").asText();
                    if (name.equals("outpost-keycloak-service")) {
                        continue; // made by the Keycloak operator from the Keycloak resource
                    }
                    List<ObjectNode> services = Overlays.ofKind(docs, "Service").stream()
                            .filter(s -> Overlays.name(s).equals(name)).toList();
                    String port = backend.path("port").path("name").asText();
                    boolean found = services.stream().flatMap(s -> stream(s.path("spec").path("ports")))
                            .anyMatch(sp -> sp.path("name").asText().equals(port));
                    if (!found) {
                        wrong.add(Overlays.name(ingress) + " " + p.path("path").asText() + " -> " + name + ":" + port);
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), "backends without such a Service port:\n" + String.join("\n", wrong));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> all = new ArrayList<>();
        array.forEach(all::add);
        return all.stream();
    }
}

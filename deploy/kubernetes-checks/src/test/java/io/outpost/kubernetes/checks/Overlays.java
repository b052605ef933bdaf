package io.outpost.kubernetes.checks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The repository, and each overlay of deploy/kubernetes rendered once per test JVM. */
final class Overlays {

    static final List<String> NAMES = List.of("dev", "production");

    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private Overlays() {
    }

    static Path root() {
        return Path.of(System.getProperty("outpost.root", "../..")).toAbsolutePath().normalize();
    }

    static Path kubernetes() {
        return root().resolve("deploy/kubernetes");
    }

    static String version() {
        String version = System.getProperty("outpost.version");
        if (version == null) {
            throw new IllegalStateException("system property outpost.version not set (the pom sets it)");
        }
        return version;
    }

    /** The rendered documents of an overlay; each call gets its own copy, so a test may change them. */
    static List<ObjectNode> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> Kustomize.render(kubernetes().resolve("overlays").resolve(o)))
                .stream().map(ObjectNode::deepCopy).toList();
    }

    static List<ObjectNode> ofKind(List<ObjectNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    static ObjectNode named(List<ObjectNode> docs, String kind, String name) {
        return ofKind(docs, kind).stream().filter(d -> name(d).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static String name(JsonNode doc) {
        return doc.path("metadata").path("name").asText();
    }

    /** A service module's folder in the repository; the Deployment of a service is named after its module. */
    static Path module(String name) {
        Path dir = root().resolve(name);
        if (!Files.isRegularFile(dir.resolve("src/main/resources/application.properties"))) {
            throw new AssertionError("Deployment " + name + " names no service module (no " + dir
                    + "/src/main/resources/application.properties)");
        }
        return dir;
    }

    static String where(String overlay, JsonNode doc) {
        return "overlays/" + overlay + ": " + doc.path("kind").asText() + " " + name(doc);
    }
}

package io.outpost.kubernetes.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Where kubectl is installed, each overlay renders to the same documents with {@code kubectl kustomize} as with
 * {@link Kustomize}. Skipped where it is not (a fresh CI machine): the renderer's own tests still run there.
 */
class RendererMatchesKubectlTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void kubectlKustomizeRendersTheSameDocuments(String overlay) throws Exception {
        Path kubectl = Path.of(System.getProperty("kubectl", "/usr/bin/kubectl"));
        assumeTrue(Files.isExecutable(kubectl), "no kubectl at " + kubectl);
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize",
                Overlays.kubernetes().resolve("overlays").resolve(overlay).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(120, TimeUnit.SECONDS), "kubectl did not finish");
        assertEquals(0, p.exitValue(), "kubectl kustomize failed");
        assertEquals(byId(parse(out)), byId(Overlays.render(overlay)));
    }

    private static List<JsonNode> parse(String yaml) throws IOException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        return mapper.readValues(mapper.getFactory().createParser(yaml), JsonNode.class).readAll().stream()
                .filter(d -> d != null && !d.isNull()).toList();
    }

    private static Map<String, String> byId(List<? extends JsonNode> docs) {
        Map<String, String> all = new TreeMap<>();
        for (JsonNode d : docs) {
            String id = d.path("apiVersion").asText() + " " + d.path("kind").asText() + " "
                    + d.path("metadata").path("namespace").asText() + "/" + Overlays.name(d);
            all.put(id, canonical(d).toPrettyString());
        }
        return all;
    }

    /** Same content, field order aside. */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = new ObjectMapper().createObjectNode();
            new TreeMap<String, JsonNode>() {
                {
                    node.fields().forEachRemaining(e -> put(e.getKey(), canonical(e.getValue())));
                }
            }.forEach(sorted::set);
            return sorted;
        }
        if (node.isArray()) {
            var list = new ObjectMapper().createArrayNode();
            node.forEach(n -> list.add(canonical(n)));
            return list;
        }
        return node;
    }
}

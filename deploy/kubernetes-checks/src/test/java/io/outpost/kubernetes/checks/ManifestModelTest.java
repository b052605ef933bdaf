package io.outpost.kubernetes.checks;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Every rendered document parses into the Kubernetes model (fabric8) or an operator's record, unknown fields refused. */
class ManifestModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyDocumentParsesIntoItsModelWithoutUnknownFields(String overlay) {
        // given the rendered overlay
        List<ObjectNode> docs = Overlays.render(overlay);
        // when each document is read strictly
        List<String> failures = new ArrayList<>();
        for (ObjectNode doc : docs) {
            try {
                Strict.read(doc);
            } catch (AssertionError e) {
                failures.add(Overlays.where(overlay, doc) + ": " + e.getMessage());
            }
        }
        // then none fails
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(docs.size() > 40, "suspiciously few documents: " + docs.size());
    }

    @Test
    void aMisspelledFieldOfABuiltInKindIsRefused() {
        // given a Deployment whose template has "replica" for "replicas" at the wrong level
        ObjectNode doc = Overlays.render("production").stream().filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst().orElseThrow();
        ((ObjectNode) doc.get("spec")).put("replica", 2);
        // when / then
        AssertionError e = assertThrows(AssertionError.class, () -> Strict.read(doc));
        assertTrue(e.getMessage().contains("replica"), e.getMessage());
    }

    @Test
    void aMisspelledFieldOfACustomResourceIsRefused() {
        // given a KafkaTopic with "partition" for "partitions"
        ObjectNode doc = Overlays.ofKind(Overlays.render("production"), "KafkaTopic").get(0);
        ((ObjectNode) doc.get("spec")).put("partition", 3);
        // when / then
        AssertionError e = assertThrows(AssertionError.class, () -> Strict.read(doc));
        assertTrue(e.getMessage().contains("partition"), e.getMessage());
    }

    @Test
    void aSecretIsNoKindTheManifestsMayHold() {
        // given a Secret, as someone might commit one
        ObjectNode secret = Strict.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
        // when / then
        assertThrows(AssertionError.class, () -> Strict.read(secret));
    }
}

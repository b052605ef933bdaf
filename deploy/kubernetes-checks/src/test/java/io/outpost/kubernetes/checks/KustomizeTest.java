package io.outpost.kubernetes.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The renderer of the kustomize subset deploy/kubernetes uses (RendererMatchesKubectlTest compares it with kubectl). */
class KustomizeTest {

    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              template:
                spec:
                  containers:
                    - name: web
                      image: outpost/web:1.0
                      env:
                        - name: A
                          value: a
                    - name: sidecar
                      image: busybox
            """;

    private static final String TOPIC = """
            # a comment-only document first, as topics.yaml has
            ---
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaTopic
            metadata:
              name: t
            spec:
              replicas: 3
              config:
                retention.ms: 1000
            """;

    private void write(String path, String text) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void base() throws IOException {
        write("base/deployment.yaml", DEPLOYMENT);
        write("base/topic.yaml", TOPIC);
        write("base/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n");
        write("base/kustomization.yaml", """
                namespace: ns
                labels:
                  - pairs:
                      part-of: outpost
                resources:
                  - namespace.yaml
                  - deployment.yaml
                  - topic.yaml
                """);
    }

    @Test
    void namespaceAndLabelsGoOnEveryResourceButANamespaceGetsNoNamespace() throws IOException {
        base();
        List<ObjectNode> docs = Kustomize.render(dir.resolve("base"));
        assertEquals(3, docs.size());
        assertFalse(docs.get(0).path("metadata").has("namespace"));
        assertEquals("ns", docs.get(1).path("metadata").path("namespace").asText());
        docs.forEach(d -> assertEquals("outpost", d.path("metadata").path("labels").path("part-of").asText()));
        // labels without includeSelectors/includeTemplates: the pod template stays as it was
        assertTrue(docs.get(1).path("spec").path("template").path("metadata").isMissingNode());
    }

    @Test
    void jsonPatchesAddReplaceAndRemoveOnEveryTargetOfAKind() throws IOException {
        base();
        write("overlay/kustomization.yaml", """
                resources:
                  - ../base
                patches:
                  - target:
                      kind: Deployment
                    patch: |-
                      - op: replace
                        path: /spec/replicas
                        value: 3
                      - op: add
                        path: /spec/template/spec/containers/0/env/-
                        value:
                          name: B
                          value: b
                      - op: remove
                        path: /spec/template/spec/containers/1
                  - target:
                      kind: KafkaTopic
                      name: t
                    path: topic-patch.yaml
                """);
        write("overlay/topic-patch.yaml", "- op: replace\n  path: /spec/config/retention.ms\n  value: 2000\n");
        List<ObjectNode> docs = Kustomize.render(dir.resolve("overlay"));
        ObjectNode deployment = docs.get(1);
        assertEquals(3, deployment.path("spec").path("replicas").asInt());
        assertEquals("[{\"name\":\"A\",\"value\":\"a\"},{\"name\":\"B\",\"value\":\"b\"}]",
                deployment.path("spec").path("template").path("spec").path("containers").get(0).path("env").toString());
        assertEquals(1, deployment.path("spec").path("template").path("spec").path("containers").size());
        assertEquals(2000, docs.get(2).path("spec").path("config").path("retention.ms").asInt());
    }

    @Test
    void aStrategicMergePatchMergesContainersByNameAndReplacesOtherLists() throws IOException {
        base();
        write("overlay/kustomization.yaml", "resources:\n  - ../base\npatches:\n  - path: resources.yaml\n");
        write("overlay/resources.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      containers:
                        - name: sidecar
                          resources:
                            limits:
                              memory: 1Gi
                """);
        ObjectNode deployment = Kustomize.render(dir.resolve("overlay")).get(1);
        var containers = deployment.path("spec").path("template").path("spec").path("containers");
        assertEquals(2, containers.size());
        assertEquals("busybox", containers.get(1).path("image").asText());
        assertEquals("1Gi", containers.get(1).path("resources").path("limits").path("memory").asText());
        assertEquals("a", containers.get(0).path("env").get(0).path("value").asText());
    }

    @Test
    void imagesChangeNameAndTagOfMatchingContainersOnly() throws IOException {
        base();
        write("overlay/kustomization.yaml", """
                resources:
                  - ../base
                images:
                  - name: outpost/web
                    newName: registry.example.com/outpost/web
                    newTag: "2.0"
                """);
        var containers = Kustomize.render(dir.resolve("overlay")).get(1).path("spec").path("template").path("spec")
                .path("containers");
        assertEquals("registry.example.com/outpost/web:2.0", containers.get(0).path("image").asText());
        assertEquals("busybox", containers.get(1).path("image").asText());
    }

    @Test
    void anythingOutsideTheSubsetIsRefused() throws IOException {
        base();
        write("a/kustomization.yaml", "resources:\n  - ../base\ncommonAnnotations:\n  x: y\n");
        write("b/kustomization.yaml", "resources:\n  - ../base\npatches:\n  - target:\n      kind: Service\n"
                + "    patch: |-\n      - op: remove\n        path: /spec\n");
        write("c/kustomization.yaml", "resources:\n  - ../base\npatches:\n  - target:\n      kind: Deployment\n"
                + "    patch: |-\n      - op: remove\n        path: /spec/nothing\n");
        write("d/kustomization.yaml", "resources:\n  - ../base\n  - missing.yaml\n");
        write("f/one.yaml", TOPIC);
        write("f/other.yaml", TOPIC);
        write("f/kustomization.yaml", "resources:\n  - one.yaml\n  - other.yaml\n");
        write("e/kustomization.yaml", "resources:\n  - ../base\npatches:\n  - target:\n      kind: Deployment\n"
                + "    patch: |-\n      - op: move\n        from: /a\n        path: /b\n");
        for (String k : List.of("a", "b", "c", "d", "e", "f")) {
            assertThrows(RuntimeException.class, () -> Kustomize.render(dir.resolve(k)), k);
        }
    }
}

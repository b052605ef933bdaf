package io.outpost.kubernetes.checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders a Kustomize directory the way {@code kubectl kustomize} does, for exactly the subset deploy/kubernetes uses,
 * so the checks run on a machine without kubectl. Anything outside the subset is refused, never ignored:
 * <ul>
 * <li>{@code resources}: YAML files (several documents each) and directories holding a kustomization;</li>
 * <li>{@code namespace}: set on every namespaced resource;</li>
 * <li>{@code labels}: {@code pairs} added to every resource's {@code metadata.labels} (no selectors, no templates);</li>
 * <li>{@code patches}: {@code path} or inline {@code patch}, with an optional {@code target} by {@code kind} and/or
 * {@code name}; a YAML list is an RFC 6902 JSON patch (add, replace, remove), a mapping a strategic merge patch
 * (mappings merge, {@code null} removes, lists of containers, env, volumes and volume mounts merge by name, every
 * other list is replaced);</li>
 * <li>{@code images}: {@code name} with {@code newName} and/or {@code newTag}, applied to the containers and init
 * containers of workloads.</li>
 * </ul>
 * Transformers run in kustomize's order: patches, namespace, labels, images.
 */
public final class Kustomize {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "namespace", "labels",
            "patches", "images");
    /** Kinds that live outside any namespace (of those a kustomization here may hold). */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterIssuer", "ClusterRole",
            "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass",
            "IngressClass", "PriorityClass");
    /** Strategic-merge keys of built-in lists; every other list is replaced by a patch. */
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name",
            "env", "name", "volumes", "name", "volumeMounts", "mountPath");

    private Kustomize() {
    }

    /** The resources of the kustomization in {@code dir}, transformed, in the order they were listed. */
    public static List<ObjectNode> render(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no kustomization.yaml in " + dir);
        }
        JsonNode k = readAll(file).get(0);
        for (Iterator<String> names = k.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(file + ": kustomization field '" + name + "' is not supported");
            }
        }
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : k.path("resources")) {
            Path path = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(render(path));
            } else if (Files.isRegularFile(path)) {
                for (JsonNode doc : readAll(path)) {
                    if (!doc.isObject() || !doc.hasNonNull("kind")) {
                        throw new IllegalArgumentException(path + ": a document without kind");
                    }
                    resources.add((ObjectNode) doc);
                }
            } else {
                throw new IllegalArgumentException(file + ": resource " + entry.asText() + " does not exist");
            }
        }
        Set<String> ids = new java.util.HashSet<>();
        for (ObjectNode r : resources) {
            String apiVersion = r.path("apiVersion").asText();
            String id = (apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "") + " "
                    + r.path("kind").asText() + " " + r.path("metadata").path("namespace").asText() + "/"
                    + r.path("metadata").path("name").asText();
            if (!ids.add(id)) {
                throw new IllegalArgumentException(file + ": resource " + id + " is there twice (kustomize refuses it)");
            }
        }
        for (JsonNode patch : k.path("patches")) {
            applyPatch(dir, file, patch, resources);
        }
        if (k.hasNonNull("namespace")) {
            String namespace = k.get("namespace").asText();
            for (ObjectNode r : resources) {
                if (!CLUSTER_SCOPED.contains(r.path("kind").asText())) {
                    metadata(r).put("namespace", namespace);
                }
            }
        }
        for (JsonNode label : k.path("labels")) {
            for (Iterator<String> f = label.fieldNames(); f.hasNext();) {
                String name = f.next();
                if (!name.equals("pairs")) {
                    throw new IllegalArgumentException(file + ": labels field '" + name + "' is not supported");
                }
            }
            for (ObjectNode r : resources) {
                ObjectNode meta = metadata(r);
                ObjectNode labels = meta.has("labels") ? (ObjectNode) meta.get("labels") : meta.putObject("labels");
                label.get("pairs").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            }
        }
        for (JsonNode image : k.path("images")) {
            for (Iterator<String> f = image.fieldNames(); f.hasNext();) {
                String name = f.next();
                if (!Set.of("name", "newName", "newTag").contains(name)) {
                    throw new IllegalArgumentException(file + ": images field '" + name + "' is not supported");
                }
            }
            for (ObjectNode r : resources) {
                JsonNode pod = r.path("spec").path("template").path("spec");
                for (String list : List.of("containers", "initContainers")) {
                    for (JsonNode c : pod.path(list)) {
                        retag((ObjectNode) c, image);
                    }
                }
            }
        }
        return resources;
    }

    /** Every document of a YAML file; empty documents (only comments) are skipped. */
    public static List<JsonNode> readAll(Path file) {
        try (JsonParser parser = YAML.getFactory().createParser(file.toFile());
                MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
            List<JsonNode> all = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    all.add(doc);
                }
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    private static void applyPatch(Path dir, Path file, JsonNode entry, List<ObjectNode> resources) {
        for (Iterator<String> f = entry.fieldNames(); f.hasNext();) {
            String name = f.next();
            if (!Set.of("path", "patch", "target").contains(name)) {
                throw new IllegalArgumentException(file + ": patches field '" + name + "' is not supported");
            }
        }
        JsonNode body;
        if (entry.has("path")) {
            body = readAll(dir.resolve(entry.get("path").asText())).get(0);
        } else {
            try {
                body = YAML.readTree(entry.get("patch").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": inline patch", e);
            }
        }
        JsonNode target = entry.get("target");
        if (target == null && body.isObject()) {
            target = YAML.createObjectNode().put("kind", body.path("kind").asText())
                    .put("name", body.path("metadata").path("name").asText());
        }
        if (target == null) {
            throw new IllegalArgumentException(file + ": a JSON patch needs a target");
        }
        for (Iterator<String> f = target.fieldNames(); f.hasNext();) {
            String name = f.next();
            if (!Set.of("kind", "name").contains(name)) {
                throw new IllegalArgumentException(file + ": patch target field '" + name + "' is not supported");
            }
        }
        int matched = 0;
        for (ObjectNode r : resources) {
            if (matches(target, r)) {
                matched++;
                if (body.isArray()) {
                    for (JsonNode op : body) {
                        jsonPatch(r, op);
                    }
                } else {
                    merge(r, (ObjectNode) body, isBuiltIn(r));
                }
            }
        }
        if (matched == 0) {
            throw new IllegalArgumentException(file + ": patch target " + target + " matches no resource");
        }
    }

    private static boolean matches(JsonNode target, ObjectNode r) {
        return (!target.has("kind") || target.get("kind").asText().equals(r.path("kind").asText()))
                && (!target.has("name") || target.get("name").asText().equals(r.path("metadata").path("name").asText()));
    }

    /** One RFC 6902 operation: add, replace or remove, with JSON pointers ({@code -} appends to a list). */
    static void jsonPatch(ObjectNode root, JsonNode op) {
        String kind = op.path("op").asText();
        String path = op.path("path").asText();
        if (!Set.of("add", "replace", "remove").contains(kind)) {
            throw new IllegalArgumentException("JSON patch op '" + kind + "' is not supported");
        }
        List<String> tokens = new ArrayList<>();
        for (String t : path.substring(1).split("/", -1)) {
            tokens.add(t.replace("~1", "/").replace("~0", "~"));
        }
        JsonNode parent = root;
        for (String t : tokens.subList(0, tokens.size() - 1)) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(t)) : parent.get(t);
            if (parent == null) {
                throw new IllegalArgumentException("JSON patch path " + path + " does not exist in "
                        + root.path("kind").asText() + "/" + root.path("metadata").path("name").asText());
            }
        }
        String last = tokens.get(tokens.size() - 1);
        JsonNode value = op.get("value");
        if (parent instanceof ArrayNode list) {
            if (kind.equals("add")) {
                if (last.equals("-")) {
                    list.add(value.deepCopy());
                } else {
                    list.insert(Integer.parseInt(last), value.deepCopy());
                }
                return;
            }
            int index = Integer.parseInt(last);
            if (index >= list.size()) {
                throw new IllegalArgumentException("JSON patch path " + path + " does not exist");
            }
            if (kind.equals("remove")) {
                list.remove(index);
            } else {
                list.set(index, value.deepCopy());
            }
        } else if (parent instanceof ObjectNode object) {
            if (!kind.equals("add") && !object.has(last)) {
                throw new IllegalArgumentException("JSON patch path " + path + " does not exist in "
                        + root.path("kind").asText() + "/" + root.path("metadata").path("name").asText());
            }
            if (kind.equals("remove")) {
                object.remove(last);
            } else {
                object.set(last, value.deepCopy());
            }
        } else {
            throw new IllegalArgumentException("JSON patch path " + path + " goes through a scalar");
        }
    }

    /**
     * Strategic merge of {@code patch} into {@code target}. Merge keys hold only for built-in kinds: kustomize knows no
     * schema of a custom resource and replaces its lists.
     */
    static void merge(ObjectNode target, ObjectNode patch, boolean builtIn) {
        patch.fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (name.startsWith("$")) {
                throw new IllegalArgumentException("strategic merge directive " + name + " is not supported");
            }
            JsonNode current = target.get(name);
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject() && current != null && current.isObject()) {
                merge((ObjectNode) current, (ObjectNode) value, builtIn);
            } else if (value.isArray() && current != null && current.isArray() && MERGE_KEYS.containsKey(name)
                    && builtIn) {
                mergeList((ArrayNode) current, (ArrayNode) value, MERGE_KEYS.get(name));
            } else {
                target.set(name, value.deepCopy());
            }
        });
    }

    /** Built-in kinds have apiVersion v1 or a group without a dot (apps/v1, policy/v1, autoscaling/v2...). */
    private static boolean isBuiltIn(ObjectNode resource) {
        String apiVersion = resource.path("apiVersion").asText();
        return !apiVersion.contains("/") || !apiVersion.substring(0, apiVersion.indexOf('/')).contains(".")
                || apiVersion.startsWith("networking.k8s.io/");
    }

    private static void mergeList(ArrayNode current, ArrayNode patch, String key) {
        for (JsonNode item : patch) {
            JsonNode id = item.get(key);
            if (id == null) {
                throw new IllegalArgumentException("list item without its merge key " + key + ": " + item);
            }
            ObjectNode existing = null;
            for (JsonNode c : current) {
                if (id.equals(c.get(key))) {
                    existing = (ObjectNode) c;
                }
            }
            if (existing != null) {
                merge(existing, (ObjectNode) item, true);
            } else {
                current.add(item.deepCopy());
            }
        }
    }

    private static void retag(ObjectNode container, JsonNode image) {
        String ref = container.path("image").asText();
        int slash = ref.lastIndexOf('/');
        int colon = ref.indexOf(':', slash + 1);
        String name = colon < 0 ? ref : ref.substring(0, colon);
        String tag = colon < 0 ? null : ref.substring(colon + 1);
        if (!name.equals(image.path("name").asText())) {
            return;
        }
        String newName = image.has("newName") ? image.get("newName").asText() : name;
        String newTag = image.has("newTag") ? image.get("newTag").asText() : tag;
        container.set("image", TextNode.valueOf(newTag == null ? newName : newName + ":" + newTag));
    }

    private static ObjectNode metadata(ObjectNode r) {
        return r.has("metadata") ? (ObjectNode) r.get("metadata") : r.putObject("metadata");
    }
}

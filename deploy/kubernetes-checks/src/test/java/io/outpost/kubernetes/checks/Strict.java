package io.outpost.kubernetes.checks;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Reads a manifest into its model class with unknown fields refused. Jackson's {@code FAIL_ON_UNKNOWN_PROPERTIES} is
 * on, but fabric8's classes catch every unknown field in an {@code additionalProperties} map instead of failing, so
 * after reading, every object of the result is walked and any non-empty {@code additionalProperties} is an error
 * naming the field and where it is.
 */
final class Strict {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .findAndRegisterModules();

    /** The built-in kinds deploy/kubernetes may hold; a Secret is not among them (secrets are never committed). */
    static final Map<String, Class<?>> BUILT_IN = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "apps/v1/Deployment", Deployment.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    private Strict() {
    }

    /** The model class of a document: fabric8's for built-in kinds, {@link CustomResources}' for the operators'. */
    static Class<?> typeOf(JsonNode doc) {
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        Class<?> type = BUILT_IN.containsKey(key) ? BUILT_IN.get(key) : CustomResources.TYPES.get(key);
        if (type == null) {
            throw new AssertionError("no model class for " + key + " (a kind deploy/kubernetes-checks does not know)");
        }
        return type;
    }

    /** Reads {@code doc} into its model class; throws naming every unknown field. */
    static Object read(JsonNode doc) {
        Object model;
        try {
            model = MAPPER.treeToValue(doc, typeOf(doc));
        } catch (Exception e) {
            throw new AssertionError(e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        walk(model, "", unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError("unknown fields: " + unknown);
        }
        return model;
    }

    private static void walk(Object value, String path, List<String> unknown) {
        if (value == null || value instanceof JsonNode || value instanceof String || value instanceof Number
                || value instanceof Boolean || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, unknown));
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        Class<?> type = value.getClass();
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                try {
                    walk(c.getAccessor().invoke(value), path + "." + c.getName(), unknown);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return;
        }
        if (!type.getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = f.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (f.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(k -> unknown.add(path + "." + k));
                    }
                } else {
                    walk(fieldValue, path + "." + f.getName(), unknown);
                }
            }
        }
    }
}

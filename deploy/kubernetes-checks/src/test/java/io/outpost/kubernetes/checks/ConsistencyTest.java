package io.outpost.kubernetes.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the parts must agree on: every Secret a manifest refers to is made by create-secrets.sh or by cert-manager;
 * production's realm holds no user, credential or client secret; the relay URL, the Ingress hosts, the certificates
 * and Keycloak's hostname name the same hosts.
 */
class ConsistencyTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everySecretReferredToIsMadeByCreateSecretsOrCertManager(String overlay) throws IOException {
        List<ObjectNode> docs = Overlays.render(overlay);
        String script = Files.readString(Overlays.kubernetes().resolve("create-secrets.sh"));
        Set<String> certificates = new TreeSet<>();
        Overlays.ofKind(docs, "Certificate").forEach(c -> certificates.add(c.path("spec").path("secretName").asText()));
        Set<String> referred = new TreeSet<>();
        for (ObjectNode doc : docs) {
            collect(doc, referred);
        }
        // Keycloak operator's and CloudNativePG's references by plain name
        Overlays.ofKind(docs, "Keycloak").forEach(k -> referred.add(
                k.path("spec").path("bootstrapAdmin").path("user").path("secret").asText()));
        List<String> missing = new ArrayList<>();
        for (String name : referred) {
            boolean made = certificates.contains(name) || script.contains(" " + name + " ")
                    || script.contains("secret=outpost-db-$1") && name.startsWith("outpost-db-")
                            && script.contains(" " + name.substring("outpost-db-".length()) + " ")
                    || script.contains("secret=outpost-db-$1") && name.startsWith("outpost-db-")
                            && script.contains(" " + name.substring("outpost-db-".length()) + ";");
            if (!made) {
                missing.add(name);
            }
        }
        assertTrue(referred.size() > 8, "found only " + referred);
        assertTrue(missing.isEmpty(), "Secrets nobody makes: " + missing);
    }

    /** Secret names under secretKeyRef, secret volumes, passwordSecret/usernameSecret/secret references. */
    private static void collect(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String key = e.getKey();
                JsonNode v = e.getValue();
                if (Set.of("secretKeyRef", "passwordSecret", "usernameSecret").contains(key) && v.has("name")) {
                    names.add(v.get("name").asText());
                } else if (key.equals("secret") && v.isObject() && v.has("secretName")) {
                    names.add(v.get("secretName").asText());
                } else if (key.equals("secret") && v.isObject() && v.has("name")) {
                    names.add(v.get("name").asText());
                }
                collect(v, names);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, names));
        }
    }

    @Test
    void productionsRealmHoldsNoUserNoCredentialAndNoClientSecret() {
        JsonNode realm = Overlays.named(Overlays.render("production"), "KeycloakRealmImport", "outpost-realm")
                .path("spec").path("realm");
        assertEquals("outpost", realm.path("realm").asText());
        List<String> found = new ArrayList<>();
        find(realm, "", found);
        assertTrue(found.isEmpty(), "in production's realm: " + found);
        assertFalse(realm.path("sslRequired").asText().equals("none"), "sslRequired none");
    }

    @Test
    void devsRealmHasTheLocalDemoUsers() {
        JsonNode realm = Overlays.named(Overlays.render("dev"), "KeycloakRealmImport", "outpost-realm")
                .path("spec").path("realm");
        List<String> found = new ArrayList<>();
        find(realm, "", found);
        assertTrue(found.contains(".users"), "the demo patch is not applied: " + found);
    }

    private static void find(JsonNode node, String path, List<String> found) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (Set.of("users", "credentials", "secret", "password").contains(e.getKey())) {
                    found.add(path + "." + e.getKey());
                }
                find(e.getValue(), path + "." + e.getKey(), found);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                find(node.get(i), path + "[" + i + "]", found);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theRelayUrlTheIngressesTheCertificatesAndKeycloakNameTheSameHosts(String overlay) {
        List<ObjectNode> docs = Overlays.render(overlay);
        String api = Overlays.named(docs, "Ingress", "outpost-api").path("spec").path("rules").get(0).path("host")
                .asText();
        String auth = Overlays.named(docs, "Ingress", "outpost-auth").path("spec").path("rules").get(0).path("host")
                .asText();
        JsonNode relay = Overlays.named(docs, "Deployment", "remote-access-service");
        String relayUrl = null;
        for (JsonNode env : relay.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
            if (env.path("name").asText().equals("OUTPOST_REMOTE_ACCESS_RELAY_URL")) {
                relayUrl = env.path("value").asText();
            }
        }
        assertTrue(relayUrl != null && relayUrl.startsWith("wss://"), "relay URL " + relayUrl);
        assertEquals(api, URI.create(relayUrl).getHost(), "the relay URL's host is the API Ingress's");
        String keycloak = Overlays.named(docs, "Keycloak", "outpost-keycloak").path("spec").path("hostname")
                .path("hostname").asText();
        assertEquals(auth, URI.create(keycloak).getHost(), "Keycloak's hostname is the auth Ingress's");
        for (ObjectNode ingress : Overlays.ofKind(docs, "Ingress")) {
            for (JsonNode tls : ingress.path("spec").path("tls")) {
                JsonNode cert = Overlays.ofKind(docs, "Certificate").stream()
                        .filter(c -> c.path("spec").path("secretName").asText().equals(tls.path("secretName").asText()))
                        .findFirst().orElseThrow(() -> new AssertionError("no Certificate for " + tls));
                for (JsonNode host : tls.path("hosts")) {
                    assertTrue(cert.path("spec").path("dnsNames").toString().contains("\"" + host.asText() + "\""),
                            Overlays.name(cert) + " does not cover " + host);
                }
                assertTrue(ingress.path("spec").path("rules").get(0).path("host").asText()
                        .equals(tls.path("hosts").get(0).asText()), "TLS host of " + Overlays.name(ingress));
            }
        }
    }
}

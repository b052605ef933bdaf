package io.outpost.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Makes quarkus-oidc verify bearer tokens locally against {@link TestTokens}' key instead of contacting Keycloak.
 * Use with {@code @WithTestResource(OidcTestResource.class)}.
 */
public class OidcTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                // An empty value unsets the service's Keycloak URL, which would otherwise win over the local key.
                "quarkus.oidc.auth-server-url", "",
                "quarkus.oidc.public-key", TestTokens.publicKey(),
                "quarkus.oidc.token.issuer", TestTokens.ISSUER);
    }

    @Override
    public void stop() {
        // Nothing runs.
    }
}

package io.outpost.testsupport;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.smallrye.jwt.build.Jwt;

/**
 * Mints signed OIDC access tokens shaped like Keycloak's (realm roles under {@code realm_access.roles}, tenants in the
 * {@value #TENANTS_CLAIM} claim). A service under test verifies them with the real quarkus-oidc against
 * {@link #publicKey()}, which {@link OidcTestResource} configures. System tests use real Keycloak tokens instead.
 */
public final class TestTokens {
    /** The claim that carries the tenants a caller may act for (see docs/security.md). */
    public static final String TENANTS_CLAIM = "tenants";
    public static final String ISSUER = "https://outpost.test/realms/outpost";

    private static final KeyPair KEYS = generateKeys();

    private TestTokens() {
    }

    /** A token for {@code subject} acting for {@code tenants} with the given realm roles. */
    public static String mint(String subject, List<String> tenants, String... roles) {
        return Jwt.issuer(ISSUER)
                .subject(subject)
                .claim("preferred_username", subject)
                .claim(TENANTS_CLAIM, tenants)
                .claim("realm_access", Map.of("roles", Arrays.asList(roles)))
                .expiresIn(300)
                .jws()
                .keyId("outpost-test")
                .sign(KEYS.getPrivate());
    }

    /** A token for one tenant with the given realm roles. */
    public static String forTenant(String tenant, String... roles) {
        return mint("user-of-" + tenant, List.of(tenant), roles);
    }

    /** Base64 of the X.509-encoded public key, as {@code quarkus.oidc.public-key} expects. */
    public static String publicKey() {
        return Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    }

    private static KeyPair generateKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

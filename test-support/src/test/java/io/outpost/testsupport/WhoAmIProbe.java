package io.outpost.testsupport;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** A protected endpoint that echoes what quarkus-oidc verified from a {@link TestTokens} token. */
@Path("/probe/whoami")
@Authenticated
public class WhoAmIProbe {
    @Inject
    SecurityIdentity identity;
    @Inject
    JsonWebToken token;

    @GET
    public String whoAmI() {
        return identity.getPrincipal().getName() + " " + token.getClaim(TestTokens.TENANTS_CLAIM) + " "
                + identity.getRoles().stream().sorted().toList();
    }
}

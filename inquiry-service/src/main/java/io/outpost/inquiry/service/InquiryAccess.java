package io.outpost.inquiry.service;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.outpost.inquiry.config.InquiryConfig;
import io.outpost.rest.Roles;
import io.outpost.rest.TenantAccess;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who may do what with a tenant's inquiries (docs/security.md), as for commands: a tenant not in the caller's token is
 * 404, exactly like an inquiry that does not exist; a role too weak is 403.
 */
@RequestScoped
public class InquiryAccess {
    @Inject
    SecurityIdentity identity;
    @Inject
    JsonWebToken token;
    @Inject
    InquiryConfig config;

    private TenantAccess access;

    @PostConstruct
    void init() {
        access = new TenantAccess(identity, token, config.tenantsClaim());
    }

    /** Viewers, operators and admins of the tenant may read its inquiries. */
    public void read(String tenant) {
        access.require(tenant, Roles.TENANT_ADMIN, Roles.TENANT_OPERATOR, Roles.TENANT_VIEWER);
    }

    /** Operators and admins of the tenant may answer and end inquiries. */
    public void answer(String tenant) {
        access.require(tenant, Roles.TENANT_ADMIN, Roles.TENANT_OPERATOR);
    }

    /** Only the tenant's admins manage its handlers (they hold secrets and decide where devices' questions go). */
    public void manageHandlers(String tenant) {
        access.require(tenant, Roles.TENANT_ADMIN);
    }

    public String caller() {
        return access.caller();
    }
}

package io.outpost.inquiry.service;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.outpost.inquiry.config.InquiryConfig;
import io.outpost.rest.TenantRoleAccess;

/** Who may do what with a tenant's inquiries: viewers read, operators and admins answer and end, admins manage handlers. */
@RequestScoped
public class InquiryAccess extends TenantRoleAccess {
    @Inject
    InquiryConfig config;

    @Override
    protected String tenantsClaim() {
        return config.tenantsClaim();
    }

    /** Operators and admins of the tenant may answer and end inquiries. */
    public void answer(String tenant) {
        operate(tenant);
    }

    /** Only the tenant's admins manage its handlers (they hold secrets and decide where devices' questions go). */
    public void manageHandlers(String tenant) {
        administer(tenant);
    }
}

package io.outpost.command.service;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.outpost.command.config.CommandConfig;
import io.outpost.rest.TenantRoleAccess;

/**
 * Who may do what with a tenant's commands: viewers read, operators and admins send and cancel. The service has no
 * tenant table: a tenant the caller holds but that has no devices simply has no commands.
 */
@RequestScoped
public class CommandAccess extends TenantRoleAccess {
    @Inject
    CommandConfig config;

    @Override
    protected String tenantsClaim() {
        return config.tenantsClaim();
    }

    /** Operators and admins of the tenant may send and cancel commands. */
    public void send(String tenant) {
        operate(tenant);
    }
}

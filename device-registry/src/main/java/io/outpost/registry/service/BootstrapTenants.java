package io.outpost.registry.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.outpost.registry.config.RegistryConfig;
import io.quarkus.runtime.StartupEvent;

/** Creates the configured bootstrap tenants once the schema is migrated. */
@ApplicationScoped
public class BootstrapTenants {
    @Inject
    RegistryConfig config;
    @Inject
    TenantService tenants;

    void onStart(@Observes StartupEvent start) {
        config.bootstrapTenants().ifPresent(ids -> ids.forEach(tenants::ensure));
    }
}

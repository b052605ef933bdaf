package io.outpost.remoteaccess.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.outpost.contracts.RegistryDevice;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.registryview.GroupDirectory;
import io.outpost.rest.ProblemException;

/** The tenant's devices and groups as this instance's registry view has them; 404 for what it does not have. */
@ApplicationScoped
public class TenantDevices {
    @Inject
    DeviceDirectory devices;
    @Inject
    GroupDirectory groups;

    public RegistryDevice device(String tenant, String device) {
        if (!devices.caughtUp()) {
            throw ProblemException.registryLoading();
        }
        return devices.find(tenant + "/" + device)
                .orElseThrow(() -> ProblemException.notFound("tenant " + tenant + " has no device " + device));
    }

    public void requireGroup(String tenant, String group) {
        if (!groups.caughtUp()) {
            throw ProblemException.registryLoading();
        }
        if (!groups.exists(tenant, group)) {
            throw ProblemException.notFound("tenant " + tenant + " has no group " + group);
        }
    }
}

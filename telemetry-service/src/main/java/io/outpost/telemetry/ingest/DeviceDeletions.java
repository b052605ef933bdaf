package io.outpost.telemetry.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.outpost.contracts.Identifiers;
import io.outpost.contracts.RegistryDevice;
import io.outpost.registryview.DeletedDevices;
import io.outpost.registryview.DeviceDirectory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A device deleted in the registry takes its telemetry with it (ARCHITECTURE.md, device lifecycle): its readings and
 * latest values are deleted ({@link DeletedDevices}: on the registry's tombstone, one device at a time); if it has
 * been created again by then, only what its predecessors sent. What a predecessor sent that arrives later, or a deletion missed while this
 * service was down, is never shown either: a device is shown only readings of its own incarnation
 * ({@code ce_deviceincarnation}), and the retention sweep removes the rest in the end.
 */
@ApplicationScoped
public class DeviceDeletions {
    private static final Logger LOG = Logger.getLogger(DeviceDeletions.class);

    @Inject
    DeviceDirectory devices;
    @Inject
    DataSource dataSource;

    private DeletedDevices deleted;

    void start(@Observes StartupEvent start) {
        deleted = new DeletedDevices(devices, "telemetry", List::of, this::delete);
    }

    void stop(@Observes ShutdownEvent stop) {
        deleted.close();
    }

    /** Deletes what the device's predecessors sent: everything if it is gone, else what another incarnation sent. */
    private void delete(String key, Optional<RegistryDevice> current) {
        Instant incarnation = current.map(RegistryDevice::createdAt).orElse(null);
        if (current.isPresent() && incarnation == null) {
            return;
        }
        int slash = key.indexOf(Identifiers.KEY_SEPARATOR);
        String tenant = key.substring(0, slash);
        String device = key.substring(slash + 1);
        try (Connection connection = dataSource.getConnection()) {
            int readings = delete(connection, "telemetry", tenant, device, incarnation);
            delete(connection, "telemetry_latest", tenant, device, incarnation);
            LOG.debugf("deleted %d readings of %s's predecessors", readings, key);
        } catch (SQLException e) {
            LOG.warnf("deleting the telemetry of deleted %s failed (never shown all the same): %s", key,
                    e.getMessage());
        }
    }

    /** @param keep the incarnation whose rows stay; null: every row of the device goes */
    private static int delete(Connection connection, String table, String tenant, String device, Instant keep)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from " + table
                + " where tenant_id = ? and device_id = ?"
                + (keep == null ? "" : " and device_incarnation is distinct from ?"))) {
            delete.setString(1, tenant);
            delete.setString(2, device);
            if (keep != null) {
                delete.setTimestamp(3, Timestamp.from(keep));
            }
            return delete.executeUpdate();
        }
    }
}

package io.outpost.mailbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Gauges recomputed from the database every {@link MailboxConfig#metricsInterval()} (one query each, not one per
 * scrape and tenant): {@code outpost_mailbox_depth{tenant}}, pending messages per tenant, and
 * {@code outpost_mailbox_outbox_pending}, records committed but not yet acknowledged by Kafka (0 once caught up).
 */
@ApplicationScoped
public class MailboxMetrics {
    private static final Logger LOG = Logger.getLogger(MailboxMetrics.class);

    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final AtomicLong outboxPending = new AtomicLong();

    @Inject
    MeterRegistry registry;
    @Inject
    DataSource dataSource;

    @Inject
    MailboxConfig config;
    @Inject
    Jobs jobs;

    void register(@Observes StartupEvent start) {
        Gauge.builder("outpost.mailbox.outbox.pending", outboxPending, AtomicLong::get)
                .description("Outbox records committed but not yet acknowledged by Kafka")
                .register(registry);
        jobs.every("mailbox-gauges", config.metricsInterval(), this::refresh);
    }

    void refresh() {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, Long> counts = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "select tenant_id, count(*) from mailbox_message where state = 'PENDING' group by tenant_id");
                    ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            counts.forEach((tenant, count) -> gauge(tenant).set(count));
            depth.forEach((tenant, gauge) -> {
                if (!counts.containsKey(tenant)) {
                    gauge.set(0);
                }
            });
            try (PreparedStatement select = connection.prepareStatement("select count(*) from mailbox_outbox");
                    ResultSet rs = select.executeQuery()) {
                rs.next();
                outboxPending.set(rs.getLong(1));
            }
        } catch (SQLException e) {
            LOG.debugf("mailbox gauges not refreshed: %s", e.toString());
        }
    }

    private AtomicLong gauge(String tenant) {
        return depth.computeIfAbsent(tenant, t -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("outpost.mailbox.depth", value, AtomicLong::get)
                    .description("Pending messages in the mailboxes of the tenant's devices")
                    .tag("tenant", t)
                    .register(registry);
            return value;
        });
    }
}

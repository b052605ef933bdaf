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
 * scrape and tenant): {@code outpost_mailbox_depth{tenant,kind}}, pending messages per tenant (kind: this owner's
 * {@link MailboxConfig#kind()}), {@code outpost_mailbox_oldest_pending_age_seconds{tenant,kind}}, how long the
 * tenant's oldest pending message has waited (0 when none waits; measured at the scrape from the creation time read at
 * the last refresh), and
 * {@code outpost_mailbox_outbox_pending}, records committed but not yet acknowledged by Kafka (0 once caught up).
 */
@ApplicationScoped
public class MailboxMetrics {
    private static final Logger LOG = Logger.getLogger(MailboxMetrics.class);
    private static final long NONE = Long.MIN_VALUE;

    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    /** Per tenant, the creation time (epoch ms) of the oldest pending message; {@link #NONE} when none waits. */
    private final Map<String, AtomicLong> oldest = new ConcurrentHashMap<>();
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
            Map<String, Long> oldestCreated = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement("select tenant_id, count(*) as pending,"
                    + " min(created_at) as oldest from mailbox_message where state = 'PENDING' group by tenant_id");
                    ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString("tenant_id"), rs.getLong("pending"));
                    oldestCreated.put(rs.getString("tenant_id"), rs.getTimestamp("oldest").getTime());
                }
            }
            counts.forEach((tenant, count) -> gauge(tenant).set(count));
            oldestCreated.forEach((tenant, created) -> ageGauge(tenant).set(created));
            depth.forEach((tenant, gauge) -> {
                if (!counts.containsKey(tenant)) {
                    gauge.set(0);
                    ageGauge(tenant).set(NONE);
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

    private AtomicLong ageGauge(String tenant) {
        return oldest.computeIfAbsent(tenant, t -> {
            AtomicLong created = new AtomicLong(NONE);
            Gauge.builder("outpost.mailbox.oldest.pending.age", created, MailboxMetrics::secondsSince)
                    .description("How long the oldest pending message of the tenant's devices has waited")
                    .baseUnit("seconds")
                    .tag("tenant", t)
                    .tag("kind", config.kind().name())
                    .register(registry);
            return created;
        });
    }

    private static double secondsSince(AtomicLong created) {
        long at = created.get();
        return at == NONE ? 0 : Math.max(0, System.currentTimeMillis() - at) / 1000.0;
    }

    private AtomicLong gauge(String tenant) {
        return depth.computeIfAbsent(tenant, t -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("outpost.mailbox.depth", value, AtomicLong::get)
                    .description("Pending messages in the mailboxes of the tenant's devices")
                    .tag("tenant", t)
                    .tag("kind", config.kind().name())
                    .register(registry);
            return value;
        });
    }
}

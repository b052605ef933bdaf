package io.outpost.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Relays a transactional outbox table to Kafka: rows written in the transactions that caused them are sent in
 * {@code seq} order, and exactly the rows whose records Kafka acknowledged are deleted, never "everything up to the
 * highest sequence sent": transactions commit out of sequence order, so a row with a lower {@code seq} can become
 * visible after a higher one was relayed, and must still be sent. Per-key order holds as long as the writers of one
 * key are serialized (a row or advisory lock), because then a key's rows commit in {@code seq} order.
 * <p>
 * One relay at a time per table: a transaction-scoped advisory lock, so several instances of a service may run; the
 * others retry shortly after. A crash between send and delete sends the same records again (at least once).
 * Woken after commits ({@link #wakeUp()}) and by its own poll, which catches wake-ups lost to a crash or to the lock.
 */
public final class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long LOCK_RETRY_MILLIS = 25;

    /** Reads the table; a null record is an entry to delete without sending (e.g. a message that expired). */
    public interface Reader {
        List<Entry> read(Connection connection, int limit) throws Exception;
    }

    /** One outbox row: its sequence number and the record to send, or null to drop it. */
    public record Entry(long seq, ProducerRecord<String, byte[]> record) {
    }

    private final String table;
    private final long lock;
    private final int batch;
    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final Reader reader;
    private final ScheduledExecutorService worker;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /**
     * @param table the outbox table; it has a {@code bigint seq} column
     * @param lock  the advisory lock key naming this relay
     * @param poll  how often the relay looks without being woken
     */
    public OutboxRelay(String table, long lock, int batch, Duration poll, DataSource dataSource,
            Producer<String, byte[]> producer, Reader reader) {
        this.table = table;
        this.lock = lock;
        this.batch = batch;
        this.dataSource = dataSource;
        this.producer = producer;
        this.reader = reader;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, table + "-relay"));
        worker.scheduleWithFixedDelay(this::wakeUp, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Relays what is committed now, soon, on the relay's thread; many wake-ups before it runs cost one run. */
    public void wakeUp() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                worker.submit(this::drain);
            } catch (RejectedExecutionException e) {
                LOG.debugf("%s relay stopped; the rest is relayed after the restart", table);
            }
        }
    }

    private void drain() {
        scheduled.set(false);
        try {
            int relayed;
            do {
                relayed = relayBatch();
            } while (relayed == batch);
            if (relayed < 0 && scheduled.compareAndSet(false, true)) {
                // Another instance relays right now; what this one wrote may have missed its read.
                worker.schedule(this::drain, LOCK_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException stopped) {
            LOG.debugf("%s relay stopped; the rest is relayed after the restart", table);
        } catch (Exception e) {
            LOG.warnf("relaying %s failed, retrying on the next poll: %s", table, e.toString());
        }
    }

    /** Relays up to one batch in one transaction; how many rows it took, or -1 if another instance holds the lock. */
    public int relayBatch() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int taken = relayBatch(connection);
                connection.commit();
                return taken;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private int relayBatch(Connection connection) throws Exception {
        if (!tryLock(connection)) {
            return -1;
        }
        List<Entry> entries = reader.read(connection, batch);
        List<Future<RecordMetadata>> acks = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            if (entry.record() != null) {
                acks.add(producer.send(entry.record()));
            }
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(30, TimeUnit.SECONDS);
        }
        delete(connection, entries.stream().map(Entry::seq).toList());
        return entries.size();
    }

    private boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            statement.setLong(1, lock);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void delete(Connection connection, List<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "delete from " + table + " where seq = any(?)")) {
            delete.setArray(1, connection.createArrayOf("bigint", seqs.toArray()));
            delete.executeUpdate();
        }
    }

    /** Stops relaying (what is left is relayed after the restart); the caller closes the producer afterwards. */
    public void stop(Duration wait) throws InterruptedException {
        worker.shutdown();
        worker.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    }
}

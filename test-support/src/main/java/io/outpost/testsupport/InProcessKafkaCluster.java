package io.outpost.testsupport;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import kafka.server.BrokerServer;

/**
 * A real 3-broker Kafka cluster (KRaft, with one separate controller) in this JVM, replicated like production: every
 * platform topic, the consumer offsets and the transaction state have replication factor 3 and
 * {@code min.insync.replicas=2}. Unlike {@link InProcessKafka} each {@link #start()} makes a new cluster, which the
 * caller closes; its directories are under {@code java.io.tmpdir} and deleted on close.
 * <p>
 * {@link #stop(int)} takes a broker away as abruptly as the test kit allows: controlled shutdown is disabled, so the
 * broker does not hand its partition leaderships over first; the controller notices it gone after
 * {@code broker.session.timeout.ms} (Kafka's default, 9 s), as it would a crashed broker, and only then elects new
 * leaders and shrinks the ISRs. A restarted broker keeps its data but listens on a new port; clients learn it from the
 * metadata, and {@link #bootstrapServers()} names the running brokers' current ports.
 * <p>
 * Not combined broker+controller nodes: with several of them, Kafka 4.1's test kit starts each node's shared KRaft
 * client from whichever of its broker and controller comes first; when the broker wins, the node tells the quorum
 * leader it has no controller endpoint, the leader rejects that UpdateVoter request and the node's KRaft thread dies.
 */
public final class InProcessKafkaCluster implements AutoCloseable {
    private static final int BROKERS = 3;

    private final KafkaClusterTestKit kit;
    private final Set<Integer> stopped = new TreeSet<>();

    private InProcessKafkaCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    /** Starts a new cluster and creates every platform topic on it. */
    public static InProcessKafkaCluster start() {
        InProcessKafka.reportKafkaExitsInsteadOfExiting();
        KafkaClusterTestKit kit = null;
        try {
            kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(false)
                    .setNumBrokerNodes(BROKERS)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("default.replication.factor", "3")
                    .setConfigProp("min.insync.replicas", "2")
                    .setConfigProp("offsets.topic.replication.factor", "3")
                    .setConfigProp("transaction.state.log.replication.factor", "3")
                    .setConfigProp("transaction.state.log.min.isr", "2")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("controlled.shutdown.enable", "false")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            InProcessKafka.createPlatformTopics(kit.bootstrapServers(), BROKERS,
                    Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2"));
            return new InProcessKafkaCluster(kit);
        } catch (Exception e) {
            if (kit != null) {
                try {
                    kit.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("Could not start the in-process Kafka cluster", e);
        }
    }

    /** The running brokers' addresses. */
    public synchronized String bootstrapServers() {
        return kit.brokers().entrySet().stream()
                .filter(node -> !stopped.contains(node.getKey()))
                .map(node -> "localhost:" + node.getValue().boundPort(kit.nodes().brokerListenerName()))
                .collect(Collectors.joining(","));
    }

    /** The ids of the brokers, running or stopped. */
    public Set<Integer> nodeIds() {
        return Set.copyOf(kit.brokers().keySet());
    }

    /** The node id of the partition's current leader, as the cluster's metadata says, or -1 when it has none. */
    public int leaderOf(String topic, int partition) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            TopicPartitionInfo info = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream()
                    .filter(candidate -> candidate.partition() == partition)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(topic + " has no partition " + partition));
            return info.leader() == null || info.leader().isEmpty() ? -1 : info.leader().id();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not describe " + topic, e);
        }
    }

    /** Shuts the broker down without controlled shutdown; returns once it is down. */
    public synchronized void stop(int nodeId) {
        BrokerServer broker = broker(nodeId);
        if (!stopped.add(nodeId)) {
            throw new IllegalStateException("Broker " + nodeId + " is already stopped");
        }
        broker.shutdown();
    }

    /** Starts a stopped broker again on its data; returns once it is unfenced, maybe before it is back in sync. */
    public synchronized void restart(int nodeId) {
        BrokerServer broker = broker(nodeId);
        if (!stopped.contains(nodeId)) {
            throw new IllegalStateException("Broker " + nodeId + " is running");
        }
        broker.startup();
        stopped.remove(nodeId);
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException("Could not close the in-process Kafka cluster", e);
        }
    }

    private BrokerServer broker(int nodeId) {
        BrokerServer broker = kit.brokers().get(nodeId);
        if (broker == null) {
            throw new IllegalArgumentException("No broker " + nodeId + "; the brokers are " + nodeIds());
        }
        return broker;
    }
}

package io.outpost.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;

import io.outpost.contracts.Topics;

/**
 * A real single-node Kafka (KRaft, broker and controller combined), started at most once per JVM, with every
 * platform topic created. It runs in this JVM's threads and dies with it; it is deliberately not closed in a shutdown
 * hook, because closing it there raced the forked test JVM's exit and made Surefire report a broken fork. Its log
 * directories are under {@code java.io.tmpdir}, which the build points at {@code target/}.
 * <p>
 * The test kit deletes those directories in a shutdown hook while the broker still runs; a broker that then finds its
 * log directory gone halts the JVM with status 1 (Kafka's {@link Exit}), after every test passed, and Surefire reports
 * the fork as failed. Kafka's exit and halt are therefore only reported here: the JVM's own status stands.
 */
public final class InProcessKafka {
    /** Fewer than production's 12: enough to exercise per-key ordering across partitions, cheap to create. */
    static final int TEST_PARTITIONS = 3;

    private static KafkaClusterTestKit cluster;

    private InProcessKafka() {
    }

    /** Starts the broker on first use and returns its bootstrap address. */
    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            cluster = start();
        }
        return cluster.bootstrapServers();
    }

    /** Admin client properties for the running broker. */
    public static Properties adminProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    private static KafkaClusterTestKit start() {
        reportKafkaExitsInsteadOfExiting();
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            createPlatformTopics(kit.bootstrapServers(), 1, Map.of());
            return kit;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the in-process Kafka broker", e);
        }
    }

    /** Makes Kafka's exit and halt only report themselves (see the class comment); shared with the 3-broker cluster. */
    static void reportKafkaExitsInsteadOfExiting() {
        Exit.setHaltProcedure((status, message) -> System.err.println("in-process Kafka wanted to halt the JVM ("
                + status + "): " + message));
        Exit.setExitProcedure((status, message) -> System.err.println("in-process Kafka wanted to exit the JVM ("
                + status + "): " + message));
    }

    /**
     * Creates every platform topic with {@link #TEST_PARTITIONS} partitions, the given replication factor and topic
     * configs; the compacted topics are compacted besides.
     */
    static void createPlatformTopics(String bootstrapServers, int replicationFactor, Map<String, String> configs)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> topics = Topics.ALL.stream()
                    .map(name -> {
                        Map<String, String> topicConfigs = new HashMap<>(configs);
                        if (Topics.COMPACTED.contains(name)) {
                            topicConfigs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                        }
                        return new NewTopic(name, TEST_PARTITIONS, (short) replicationFactor).configs(topicConfigs);
                    })
                    .toList();
            admin.createTopics(topics).all().get();
        }
    }
}

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import io.outpost.contracts.Topics;

/**
 * Creates every platform topic of {@code contracts}' {@link Topics} that does not exist yet; compacted ones with
 * {@code cleanup.policy=compact}. Run by ./outpost up as a single-file program:
 * {@code java -cp 'kafka-lib/*:contracts/target/classes' CreatePlatformTopics.java <bootstrap> <partitions> [replicas]}
 * (replicas: 1 by default; a cluster's brokers require 2 of them in sync, {@code min.insync.replicas}).
 * Exits non-zero while the broker is not ready, so the caller can retry.
 */
public class CreatePlatformTopics {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int partitions = Integer.parseInt(args[1]);
        short replicas = args.length > 2 ? Short.parseShort(args[2]) : 1;
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = Topics.ALL.stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, partitions, replicas).configs(Topics.COMPACTED.contains(name)
                            ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                            : Map.of()))
                    .toList();
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            System.out.println("platform topics present: " + Topics.ALL.size() + ", created now: " + missing.size());
        }
    }
}

package io.outpost.command.messaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.outpost.command.CommandStates;
import io.outpost.mailbox.RecordJson;
import io.outpost.command.service.CommandWaiters;
import io.outpost.contracts.CloudEventHeaders;
import io.outpost.contracts.CommandEvent;
import io.outpost.contracts.Topics;
import io.outpost.messaging.TopicFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Lets a request waiting on this instance ({@code ?wait=}) learn that another instance finished its command: every
 * instance follows the service's own {@code outpost.command-events.v1} from its end (no consumer group: each needs
 * every event) and releases the waiters of commands whose event is final. Events of commands nobody here waits for
 * are dropped after a look at {@code ce_subject}, without parsing.
 */
@ApplicationScoped
public class CommandEventFollower {
    private static final Logger LOG = Logger.getLogger(CommandEventFollower.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    CommandWaiters waiters;
    @Inject
    RecordJson json;
    @ConfigProperty(name = "quarkus.application.name")
    String application;

    private TopicFollower follower;

    void start(@Observes StartupEvent start) {
        follower = new TopicFollower(Topics.COMMAND_EVENTS, TopicFollower.Start.END, kafkaConfig,
                application + "-command-events", this::onEvent, () -> LOG.debug("following command events"));
        follower.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        follower.stop();
    }

    private void onEvent(ConsumerRecord<String, byte[]> record) {
        Header subject = record.headers().lastHeader(CloudEventHeaders.SUBJECT);
        if (subject == null || !waiters.waitingFor(new String(subject.value(), StandardCharsets.UTF_8))) {
            return;
        }
        try {
            CommandEvent event = json.read(record.value(), CommandEvent.class);
            if (CommandStates.isFinal(event.state())) {
                waiters.finished(event.commandId());
            }
        } catch (IOException e) {
            LOG.debugf("skipped an unreadable command event: %s", e.getMessage());
        }
    }
}

package io.useractions.processor.topology;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.useractions.model.Topics;
import io.useractions.processor.config.KafkaClients;
import io.useractions.processor.config.ProcessorConfig;
import io.useractions.topics.TopicCreator;

/**
 * Creates the pipeline's topics when they are missing (the one creator, as Topics.SPECS says), so that the
 * services run against a new external cluster by configuration alone. Compose and Kubernetes turn it off:
 * their topics come from the kafka-topics service and the KafkaTopics.
 */
@ApplicationScoped
public class TopicBootstrap {
    private static final Logger LOG = Logger.getLogger(TopicBootstrap.class);

    void createMissing(@Observes StartupEvent event, ProcessorConfig config, KafkaClients kafka) {
        if (!config.topics().create()) {
            return;
        }
        try (Admin admin = Admin.create(kafka.properties())) {
            createMissing(admin, config.topics()).forEach(name -> LOG.infof("Created topic %s", name));
        } catch (RuntimeException e) {
            LOG.warnf("Could not create the topics (Kafka unreachable?); Kafka Streams waits for them: %s", e.getMessage());
        }
    }

    /** Creates the missing topics under the configured names, partitions and replication; returns those created. */
    static List<String> createMissing(Admin admin, ProcessorConfig.TopicNames topics) {
        Optional<Short> replication = topics.replicationFactor() > 0 ? Optional.of(topics.replicationFactor())
                : Optional.empty();
        return TopicCreator.createMissing(admin, List.of(Topics.spec(Topics.RAW).named(topics.raw()),
                        Topics.spec(Topics.PROJECTION).named(topics.projection()),
                        Topics.spec(Topics.DEAD_LETTER).named(topics.deadLetter())),
                topics.partitions().orElse(Topics.DEFAULT_PARTITIONS), replication);
    }
}

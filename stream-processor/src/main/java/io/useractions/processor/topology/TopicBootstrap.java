package io.useractions.processor.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.useractions.processor.config.KafkaClients;
import io.useractions.processor.config.ProcessorConfig;

/**
 * Creates the pipeline's topics when they are missing, so that the services run against a new external
 * cluster by configuration alone. The raw topic is the source of truth, hence unlimited retention;
 * the projection topic is derived from it and keeps the broker's default retention.
 */
@ApplicationScoped
public class TopicBootstrap {
    private static final Logger LOG = Logger.getLogger(TopicBootstrap.class);

    void createMissing(@Observes StartupEvent event, ProcessorConfig config,
            KafkaClients kafka) {
        ProcessorConfig.TopicNames topics = config.topics();
        if (!topics.create()) {
            return;
        }
        Optional<Short> replication = topics.replicationFactor() > 0 ? Optional.of(topics.replicationFactor())
                : Optional.empty();
        Map<String, String> keepForever = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1");
        List<NewTopic> wanted = List.of(
                new NewTopic(topics.raw(), Optional.of(topics.partitions()), replication).configs(keepForever),
                new NewTopic(topics.projection(), Optional.of(topics.partitions()), replication),
                new NewTopic(topics.deadLetter(), Optional.of(1), replication).configs(keepForever));
        try (Admin admin = Admin.create(kafka.properties())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            wanted.stream().filter(topic -> !existing.contains(topic.name())).forEach(missing::add);
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                    LOG.infof("Created topic %s", name);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warnf("Could not create topic %s: %s", name, e.getCause().toString());
                    }
                } catch (Exception e) {
                    LOG.warnf("Could not create topic %s: %s", name, e.toString());
                }
            });
        } catch (Exception e) {
            LOG.warnf("Could not check the topics (Kafka unreachable?); Kafka Streams waits for them: %s", e.toString());
        }
    }
}

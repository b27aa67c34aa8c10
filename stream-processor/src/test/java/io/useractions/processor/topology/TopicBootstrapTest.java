package io.useractions.processor.topology;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.TopicSpec;
import io.useractions.model.Topics;
import io.useractions.processor.TestSupport;
import io.useractions.processor.config.ProcessorConfig;

/**
 * The processor's start-up creation against the real broker: its configured names, made as Topics.SPECS says.
 * A {@code @QuarkusTest} to run on the broker the other Quarkus tests of this JVM run on (a plain test would
 * now attach to it too, but only once one of them started it: LocalInfraTestResource).
 */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class TopicBootstrapTest {

    private static ProcessorConfig.TopicNames names(String prefix) {
        return new ProcessorConfig.TopicNames() {
            public String raw() {
                return prefix + "raw";
            }

            public String projection() {
                return prefix + "projection";
            }

            public String deadLetter() {
                return prefix + "dlq";
            }

            public boolean create() {
                return true;
            }

            public OptionalInt partitions() {
                return OptionalInt.of(2);
            }

            public short replicationFactor() {
                return -1;
            }
        };
    }

    @Test
    void missingTopicsAreCreatedUnderTheConfiguredNamesAsSpecifiedAndOnlyOnce() throws Exception {
        ProcessorConfig.TopicNames topics = names("bootstrap-" + UUID.randomUUID().toString().substring(0, 8) + "-");
        try (Admin admin = Admin.create(LocalInfraTestResource.servers().kafkaClientConfig())) {
            assertEquals(List.of(topics.deadLetter(), topics.projection(), topics.raw()),
                    TopicBootstrap.createMissing(admin, topics).stream().sorted().toList());

            Map<String, TopicSpec> specs = Map.of(topics.raw(), Topics.spec(Topics.RAW),
                    topics.projection(), Topics.spec(Topics.PROJECTION), topics.deadLetter(), Topics.spec(Topics.DEAD_LETTER));
            // the controller has them; the broker's metadata may follow a moment later
            await("the created topics described").atMost(Duration.ofSeconds(30)).until(() -> {
                try {
                    admin.describeTopics(specs.keySet()).allTopicNames().get(10, TimeUnit.SECONDS);
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            Map<String, TopicDescription> created = admin.describeTopics(specs.keySet()).allTopicNames().get(10, TimeUnit.SECONDS);
            for (var entry : specs.entrySet()) {
                assertEquals(entry.getValue().partitions(2), created.get(entry.getKey()).partitions().size(), entry.getKey());
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, entry.getKey());
                Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
                entry.getValue().configs().forEach((name, value) ->
                        assertEquals(value, config.get(name).value(), entry.getKey() + " " + name));
            }
            assertEquals(List.of(), TopicBootstrap.createMissing(admin, topics));
        }
    }
}

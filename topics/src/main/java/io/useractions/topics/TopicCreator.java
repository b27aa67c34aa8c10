package io.useractions.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

import io.useractions.model.TopicSpec;
import io.useractions.model.Topics;

/**
 * The one creator of the pipeline's topics, as {@link Topics#SPECS} specifies them: the stream processor at
 * start-up, the local run, the tests and the benchmark create them here. A caller chooses the partitions of
 * the partitioned topics and nothing else; docker-compose.yml and the Strimzi KafkaTopics, which cannot call
 * this, are compared with the same specification by deploy-checks.
 */
public final class TopicCreator {
    private static final long TIMEOUT_SECONDS = 30;

    private TopicCreator() {
    }

    /** Creates the pipeline's topics that are missing, the partitioned ones with {@code partitions}; returns those created. */
    public static List<String> createMissing(Admin admin, int partitions) {
        return createMissing(admin, Topics.SPECS, partitions, Optional.empty());
    }

    /**
     * Creates those of {@code topics} that do not exist yet, with the cluster's replication unless
     * {@code replication} is given. Existing topics are left as they are, one created meanwhile by someone
     * else too.
     *
     * @return the names of the topics created here
     * @throws IllegalStateException naming the topic that could not be created, with Kafka's error as the cause
     */
    public static List<String> createMissing(Admin admin, List<TopicSpec> topics, int partitions, Optional<Short> replication) {
        Set<String> existing = get(admin.listTopics().names(), "listing the topics");
        List<NewTopic> missing = topics.stream().filter(topic -> !existing.contains(topic.name()))
                .map(topic -> new NewTopic(topic.name(), Optional.of(topic.partitions(partitions)), replication)
                        .configs(topic.configs()))
                .toList();
        List<String> created = new ArrayList<>();
        if (missing.isEmpty()) {
            return created;
        }
        for (Map.Entry<String, KafkaFuture<Void>> result : admin.createTopics(missing).values().entrySet()) {
            try {
                get(result.getValue(), "creating topic " + result.getKey());
                created.add(result.getKey());
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    private static <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " timed out after " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }
}

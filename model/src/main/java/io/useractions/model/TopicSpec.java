package io.useractions.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one topic of the pipeline is made, the same wherever it is made: by the creator (the processor at
 * start-up, the local run, the tests and the benchmark) and by docker-compose.yml and the Strimzi KafkaTopics,
 * which deploy-checks compares with it. Replication is no setting of a topic: each takes its cluster's
 * default.replication.factor and min.insync.replicas (3 and 2 in production, 1 on one node).
 *
 * @param name        the topic's name
 * @param partitioned whether it has the pipeline's partition count, which callers choose
 *                    ({@link Topics#DEFAULT_PARTITIONS} unless they say otherwise), or one partition
 * @param configs     its topic-level configs by Kafka's names, sorted
 */
public record TopicSpec(String name, boolean partitioned, Map<String, String> configs) {

    public TopicSpec {
        configs = Collections.unmodifiableSortedMap(new TreeMap<>(configs));
    }

    /** Its partitions when the pipeline has {@code pipelinePartitions}. */
    public int partitions(int pipelinePartitions) {
        return partitioned ? pipelinePartitions : 1;
    }

    /** The same topic under another name: a processor configured with other names, the benchmark's copy of the raw topic. */
    public TopicSpec named(String other) {
        return new TopicSpec(other, partitioned, configs);
    }
}

package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.map;
import static io.useractions.deploy.Yamls.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.useractions.model.TopicSpec;
import io.useractions.model.Topics;

/**
 * The topics that docker-compose.yml's kafka-topics service and the Strimzi KafkaTopics make, against their
 * specification (Topics.SPECS, which the Java creator follows): the same topics, the partitions of
 * Topics.DEFAULT_PARTITIONS, exactly the specified configs, and the cluster's replication (replicas and
 * min.insync.replicas, where a manifest states them, equal to the cluster's defaults). Each problem names
 * the topic, the setting, what the manifest says and what the specification says.
 */
final class TopicChecks {
    /** Topic configs that belong to the cluster, not to the specification: a topic may repeat the cluster's value. */
    static final List<String> CLUSTER_CONFIGS = List.of("min.insync.replicas");

    private static final Pattern TOPIC = Pattern.compile("--topic[ =]\"?([$\\w.-]+)\"?");
    private static final Pattern PARTITIONS = Pattern.compile("--partitions[ =]\"?([$\\w.-]+)\"?");
    private static final Pattern REPLICATION = Pattern.compile("--replication-factor[ =]\"?([$\\w.-]+)\"?");
    private static final Pattern CONFIG = Pattern.compile("--config[ =]\"?([\\w.]+)=([^\\s\"]*)\"?");

    /** A topic as a manifest makes it; {@code replicas} is null where the cluster's default applies. */
    record MadeTopic(String where, String name, String partitions, String replicas, Map<String, String> configs) {
    }

    private TopicChecks() {
    }

    /**
     * The kafka-topics service's script: each {@code --create} line, its {@code $VARIABLE}s taken from the
     * service's environment (after compose's own interpolation), against the compose Kafka's defaults.
     */
    static List<String> compose(String script, Map<String, String> env, Map<String, String> kafkaEnv) {
        List<MadeTopic> made = new ArrayList<>();
        for (String line : script.split("\n")) {
            if (!line.contains("--create")) {
                continue;
            }
            String name = first(TOPIC, line, env).orElse("?");
            Map<String, String> configs = new LinkedHashMap<>();
            Matcher config = CONFIG.matcher(line);
            while (config.find()) {
                configs.put(config.group(1), resolve(config.group(2), env));
            }
            made.add(new MadeTopic("kafka-topics --topic " + name, name, first(PARTITIONS, line, env).orElse(null),
                    first(REPLICATION, line, env).orElse(null), configs));
        }
        Map<String, String> cluster = Map.of(
                "default.replication.factor", kafkaEnv.getOrDefault("KAFKA_DEFAULT_REPLICATION_FACTOR", "1"),
                "min.insync.replicas", kafkaEnv.getOrDefault("KAFKA_MIN_INSYNC_REPLICAS", "1"));
        return compare("kafka-topics's commands", made, cluster);
    }

    /** The KafkaTopics of a rendered overlay, against the overlay's Kafka cluster's defaults. */
    static List<String> kafkaTopics(List<Map<String, Object>> objects) {
        Map<String, Object> kafkaConfig = K8s.ofKind(objects, "Kafka").stream().findFirst()
                .map(kafka -> map(at(kafka, "spec", "kafka", "config"))).orElse(Map.of());
        Map<String, String> cluster = Map.of(
                "default.replication.factor", String.valueOf(kafkaConfig.getOrDefault("default.replication.factor", 1)),
                "min.insync.replicas", String.valueOf(kafkaConfig.getOrDefault("min.insync.replicas", 1)));
        List<MadeTopic> made = new ArrayList<>();
        for (Map<String, Object> topic : K8s.ofKind(objects, "KafkaTopic")) {
            Map<String, String> configs = new LinkedHashMap<>();
            map(at(topic, "spec", "config")).forEach((name, value) -> configs.put(name, String.valueOf(value)));
            made.add(new MadeTopic(K8s.id(topic), Optional.ofNullable(str(topic, "spec", "topicName")).orElse(K8s.name(topic)),
                    str(topic, "spec", "partitions"), str(topic, "spec", "replicas"), configs));
        }
        return compare("the KafkaTopics", made, cluster);
    }

    /** Each specified topic made once, as specified; {@code cluster} holds default.replication.factor and min.insync.replicas. */
    static List<String> compare(String maker, List<MadeTopic> made, Map<String, String> cluster) {
        List<String> problems = new ArrayList<>();
        for (TopicSpec spec : Topics.SPECS) {
            long times = made.stream().filter(topic -> topic.name().equals(spec.name())).count();
            if (times != 1) {
                problems.add(maker + (times == 0 ? " create no " + spec.name() : " create " + spec.name() + " " + times + " times")
                        + " (Topics.SPECS)");
            }
        }
        for (MadeTopic topic : made) {
            if (!Topics.names().contains(topic.name())) {
                problems.add(topic.where() + ": " + topic.name() + " is none of the pipeline's topics " + Topics.names()
                        + " (Topics.SPECS)");
                continue;
            }
            TopicSpec spec = Topics.spec(topic.name());
            String partitions = String.valueOf(spec.partitions(Topics.DEFAULT_PARTITIONS));
            if (!partitions.equals(topic.partitions())) {
                problems.add(topic.where() + ": " + topic.partitions() + " partitions, Topics.SPECS says " + partitions
                        + (spec.partitioned() ? " (Topics.DEFAULT_PARTITIONS)" : ""));
            }
            String replication = cluster.get("default.replication.factor");
            if (topic.replicas() != null && !topic.replicas().equals(replication)) {
                problems.add(topic.where() + ": " + topic.replicas() + " replicas, the cluster's default.replication.factor is "
                        + replication + " (a topic takes its cluster's replication)");
            }
            spec.configs().forEach((name, value) -> {
                String actual = topic.configs().get(name);
                if (actual == null) {
                    problems.add(topic.where() + ": no " + name + ", Topics.SPECS says " + name + "=" + value);
                } else if (!actual.equals(value)) {
                    problems.add(topic.where() + ": " + name + "=" + actual + ", Topics.SPECS says " + name + "=" + value);
                }
            });
            topic.configs().forEach((name, value) -> {
                if (spec.configs().containsKey(name)) {
                    return;
                }
                if (!CLUSTER_CONFIGS.contains(name)) {
                    problems.add(topic.where() + ": " + name + "=" + value + " is not in Topics.SPECS");
                } else if (!Objects.equals(cluster.get(name), value)) {
                    problems.add(topic.where() + ": " + name + "=" + value + ", the cluster's is " + cluster.get(name)
                            + " (a topic takes its cluster's replication)");
                }
            });
        }
        return problems;
    }

    private static Optional<String> first(Pattern pattern, String line, Map<String, String> env) {
        Matcher m = pattern.matcher(line);
        return m.find() ? Optional.of(resolve(m.group(1), env)) : Optional.empty();
    }

    private static String resolve(String value, Map<String, String> env) {
        return value.startsWith("$") ? env.getOrDefault(value.substring(1), value) : value;
    }
}

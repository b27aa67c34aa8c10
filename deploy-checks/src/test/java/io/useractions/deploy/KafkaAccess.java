package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.list;
import static io.useractions.deploy.Yamls.maps;
import static io.useractions.deploy.Yamls.str;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The Kafka ACLs each client of the pipeline needs, no more: the operations its code performs, on the
 * topics, groups and transactional ids its configuration names (read from the services' properties
 * as the container's environment sets them). Describe is listed where the client looks a resource up
 * (Kafka also implies it from Read and Write), so that a user's ACLs read as what the client does.
 */
final class KafkaAccess {
    /** The pipeline's Kafka clients: a service, or the processor's replay command. */
    enum Client {
        INGEST, PROCESSOR, REPLAY, CONSOLE;

        static Optional<Client> of(AppModule module, List<String> args) {
            return switch (module.artifactId()) {
                case "ingest-service" -> Optional.of(INGEST);
                case "stream-processor" -> Optional.of(args.contains("replay") ? REPLAY : PROCESSOR);
                case "console" -> Optional.of(CONSOLE);
                default -> Optional.empty();
            };
        }

        String label() {
            return name().toLowerCase();
        }
    }

    /** One allowed operation on one resource; cluster resources have the name kafka-cluster. */
    record Acl(String resourceType, String name, String patternType, String operation) implements Comparable<Acl> {
        @Override
        public String toString() {
            return operation + " on " + resourceType + " " + name + ("literal".equals(patternType) ? "" : " (" + patternType + ")");
        }

        @Override
        public int compareTo(Acl other) {
            return toString().compareTo(other.toString());
        }
    }

    private KafkaAccess() {
    }

    /**
     * What the client needs. {@code setting} gives a property of the client's service as its container
     * sets it (an environment variable over application.properties).
     */
    static Set<Acl> required(Client client, Function<String, String> setting) {
        Set<Acl> acls = new TreeSet<>();
        switch (client) {
            case INGEST -> topic(acls, setting.apply("mp.messaging.outgoing.ui-actions.topic"), "Write", "Describe");
            case PROCESSOR -> {
                String applicationId = setting.apply("quarkus.kafka-streams.application-id");
                // Kafka Streams: raw in; projection and dead letters out, in exactly_once_v2 transactions
                // whose ids start with the application id, committing the group's offsets in them
                topic(acls, setting.apply("ual.processor.topics.raw"), "Read", "Describe");
                topic(acls, setting.apply("ual.processor.topics.projection"), "Write", "Describe");
                topic(acls, setting.apply("ual.processor.topics.dead-letter"), "Write", "Describe");
                acls.add(new Acl("group", applicationId, "literal", "Read"));
                acls.add(new Acl("transactionalId", applicationId, "prefix", "Write"));
                acls.add(new Acl("transactionalId", applicationId, "prefix", "Describe"));
                if (!"false".equals(setting.apply("ual.processor.sessions.enabled"))) {
                    // the trial and session state store: its changelog, <application id>-session-state-changelog,
                    // is created by Kafka Streams, checked, written in the transactions and read on restore
                    topicPrefix(acls, applicationId + "-", "Create", "Read", "Write", "Describe", "DescribeConfigs");
                }
                // the PostgreSQL sink in its group, and its dead letters
                topic(acls, setting.apply("ual.processor.topics.projection"), "Read");
                acls.add(new Acl("group", setting.apply("ual.processor.sink.group-id"), "literal", "Read"));
                // the admin API: reads dead letters by partition, re-drives them to the raw topic
                topic(acls, setting.apply("ual.processor.topics.dead-letter"), "Read");
                topic(acls, setting.apply("ual.processor.topics.raw"), "Write");
            }
            case REPLAY -> topic(acls, setting.apply("ual.processor.topics.raw"), "Read", "Describe");
            case CONSOLE -> topic(acls, setting.apply("ual.console.dead-letters.topic"), "Read", "Describe");
            default -> throw new IllegalArgumentException(client.name());
        }
        return acls;
    }

    private static void topicPrefix(Set<Acl> acls, String prefix, String... operations) {
        for (String operation : operations) {
            acls.add(new Acl("topic", prefix, "prefix", operation));
        }
    }

    private static void topic(Set<Acl> acls, String name, String... operations) {
        for (String operation : operations) {
            acls.add(new Acl("topic", name, "literal", operation));
        }
    }

    /**
     * What a KafkaUser allows, one entry per operation. A deny rule or one limited to a host is kept
     * apart (as "deny ..." or "... from host"), so that it never passes for an allow rule.
     */
    static Set<Acl> granted(Map<String, Object> kafkaUser) {
        Set<Acl> acls = new TreeSet<>();
        for (Map<String, Object> rule : maps(kafkaUser, "spec", "authorization", "acls")) {
            String type = str(rule, "resource", "type");
            String name = "cluster".equals(type) ? "kafka-cluster" : str(rule, "resource", "name");
            String pattern = Optional.ofNullable(str(rule, "resource", "patternType")).orElse("literal");
            String host = Optional.ofNullable(str(rule, "host")).orElse("*");
            String effect = Optional.ofNullable(str(rule, "type")).orElse("allow");
            List<Object> operations = list(rule.get("operations"));
            if (operations.isEmpty() && rule.get("operation") != null) {
                operations = List.of(rule.get("operation"));
            }
            for (Object operation : operations) {
                String op = (effect.equals("allow") ? "" : effect + " ") + operation + (host.equals("*") ? "" : " from " + host);
                acls.add(new Acl(type, name, pattern, op));
            }
        }
        return acls;
    }

    static String authorizationType(Map<String, Object> kafkaUser) {
        return String.valueOf(at(kafkaUser, "spec", "authorization", "type"));
    }
}

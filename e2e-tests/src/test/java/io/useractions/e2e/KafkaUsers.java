package io.useractions.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.yaml.snakeyaml.Yaml;

/**
 * The KafkaUsers of the manifests as the ACLs Strimzi's {@code authorization: simple} puts on the broker,
 * so that a test can run each app as its user with exactly those ACLs. Whatever the translation does not
 * know (another authorization type, resource type or operation) fails instead of being left out.
 */
final class KafkaUsers {
    static final Path MANIFEST = TestPipeline.HOME.resolve("deploy/base/kafka/users.yaml");
    /** Strimzi's name of the cluster resource, which Kafka also uses. */
    private static final String CLUSTER = "kafka-cluster";

    private KafkaUsers() {
    }

    /** Each KafkaUser of the manifest by name, with its ACLs for {@code User:<name>}. */
    static Map<String, List<AclBinding>> read(Path manifest) {
        try {
            return parse(Files.readString(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
    }

    static Map<String, List<AclBinding>> parse(String yaml) {
        Map<String, List<AclBinding>> users = new LinkedHashMap<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            Map<?, ?> resource = map(document, "document");
            if (!"KafkaUser".equals(resource.get("kind"))) {
                continue;
            }
            String name = String.valueOf(map(resource.get("metadata"), "metadata").get("name"));
            Map<?, ?> spec = map(resource.get("spec"), name + " spec");
            String authentication = String.valueOf(map(spec.get("authentication"), name + " authentication").get("type"));
            if (!authentication.equals("scram-sha-512")) {
                throw new IllegalArgumentException(name + ": authentication " + authentication + ", but the test broker makes SCRAM-SHA-512 users");
            }
            Map<?, ?> authorization = map(spec.get("authorization"), name + " authorization");
            if (!"simple".equals(authorization.get("type"))) {
                throw new IllegalArgumentException(name + ": authorization " + authorization.get("type") + ", not simple");
            }
            List<AclBinding> acls = new ArrayList<>();
            for (Object rule : list(authorization.get("acls"))) {
                acls.addAll(bindings("User:" + name, map(rule, name + " ACL")));
            }
            users.put(name, List.copyOf(acls));
        }
        return users;
    }

    /** One Strimzi ACL rule: a resource, one or more operations, and optionally a host and allow or deny. */
    private static List<AclBinding> bindings(String principal, Map<?, ?> rule) {
        Map<?, ?> resource = map(rule.get("resource"), "resource of " + rule);
        String type = String.valueOf(resource.get("type"));
        ResourcePattern pattern = switch (type) {
            case "cluster" -> new ResourcePattern(ResourceType.CLUSTER, CLUSTER, PatternType.LITERAL);
            case "topic" -> named(ResourceType.TOPIC, resource);
            case "group" -> named(ResourceType.GROUP, resource);
            case "transactionalId" -> named(ResourceType.TRANSACTIONAL_ID, resource);
            default -> throw new IllegalArgumentException("unknown resource type " + type + " in " + rule);
        };
        String host = rule.get("host") == null ? "*" : String.valueOf(rule.get("host"));
        AclPermissionType permission = switch (rule.get("type") == null ? "allow" : String.valueOf(rule.get("type"))) {
            case "allow" -> AclPermissionType.ALLOW;
            case "deny" -> AclPermissionType.DENY;
            default -> throw new IllegalArgumentException("unknown ACL type " + rule.get("type") + " in " + rule);
        };
        // "operation" (one) is the older form of "operations"
        List<?> operations = rule.get("operations") != null ? list(rule.get("operations"))
                : rule.get("operation") != null ? List.of(rule.get("operation")) : List.of();
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("no operations in " + rule);
        }
        List<AclBinding> bindings = new ArrayList<>();
        for (Object operation : operations) {
            bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, host, operation(String.valueOf(operation)),
                    permission)));
        }
        return bindings;
    }

    private static ResourcePattern named(ResourceType type, Map<?, ?> resource) {
        Object name = resource.get("name");
        if (name == null) {
            throw new IllegalArgumentException("no name in " + resource);
        }
        String patternType = resource.get("patternType") == null ? "literal" : String.valueOf(resource.get("patternType"));
        PatternType kafkaPattern = switch (patternType) {
            case "literal" -> PatternType.LITERAL;
            case "prefix" -> PatternType.PREFIXED;
            default -> throw new IllegalArgumentException("unknown patternType " + patternType + " in " + resource);
        };
        return new ResourcePattern(type, String.valueOf(name), kafkaPattern);
    }

    /** Strimzi's names (Read, ClusterAction, IdempotentWrite, All, ...) to Kafka's (READ, CLUSTER_ACTION, ...). */
    static AclOperation operation(String strimzi) {
        String name = strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        AclOperation operation;
        try {
            operation = AclOperation.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown ACL operation " + strimzi, e);
        }
        if (operation == AclOperation.ANY || operation == AclOperation.UNKNOWN) {
            throw new IllegalArgumentException("not an ACL operation: " + strimzi);
        }
        return operation;
    }

    private static Map<?, ?> map(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(what + " is not a mapping: " + value);
        }
        return map;
    }

    private static List<?> list(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("not a list: " + value);
        }
        return list;
    }
}

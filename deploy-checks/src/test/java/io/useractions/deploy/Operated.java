package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.list;
import static io.useractions.deploy.Yamls.map;
import static io.useractions.deploy.Yamls.maps;
import static io.useractions.deploy.Yamls.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operators make of the overlay's custom resources, as far as the checks need it: the Secrets,
 * Services, pods and NetworkPolicies that appear only once Strimzi and CloudNativePG run. Their names,
 * keys and labels are the operators' documented conventions.
 */
final class Operated {
    /** A pod the policies see: who made it, its labels and named ports. */
    record Pod(String id, Map<String, String> labels, Map<String, Integer> namedPorts) {
    }

    static final String CNPG = "postgresql.cnpg.io/v1";

    private final List<Map<String, Object>> objects = new ArrayList<>();
    private final List<Pod> pods = new ArrayList<>();

    Operated(List<Map<String, Object>> overlay) {
        for (Map<String, Object> kafka : K8s.ofKind(overlay, "Kafka")) {
            strimziCluster(kafka);
        }
        for (Map<String, Object> user : K8s.ofKind(overlay, "KafkaUser")) {
            String type = str(user, "spec", "authentication", "type");
            List<String> keys = "tls".equals(type) ? List.of("ca.crt", "user.crt", "user.key", "user.p12", "user.password")
                    : List.of("password", "sasl.jaas.config");
            objects.add(secret(K8s.name(user), keys, K8s.id(user)));
        }
        for (Map<String, Object> cluster : K8s.ofKind(overlay, "Cluster")) {
            if (CNPG.equals(cluster.get("apiVersion"))) {
                cnpgCluster(cluster);
            }
        }
    }

    /** Secrets, Services and NetworkPolicies, as maps shaped like the objects they stand for. */
    List<Map<String, Object>> objects() {
        return objects;
    }

    List<Pod> pods() {
        return pods;
    }

    /** Strimzi: the cluster CA's public Secret, the bootstrap Service, the brokers and entity operator, the listeners' policy. */
    private void strimziCluster(Map<String, Object> kafka) {
        String name = K8s.name(kafka);
        String by = K8s.id(kafka);
        objects.add(secret(name + "-cluster-ca-cert", List.of("ca.crt", "ca.p12", "ca.password"), by));
        Map<String, String> brokers = new LinkedHashMap<>(Map.of("strimzi.io/cluster", name, "strimzi.io/kind", "Kafka",
                "strimzi.io/name", name + "-kafka", "strimzi.io/broker-role", "true"));
        List<Object> ports = new ArrayList<>();
        for (Map<String, Object> listener : maps(kafka, "spec", "kafka", "listeners")) {
            ports.add(new LinkedHashMap<>(Map.of("name", String.valueOf(listener.get("name")), "port", listener.get("port"))));
        }
        objects.add(service(name + "-kafka-bootstrap", brokers, ports, by));
        pods.add(new Pod(by + " brokers", brokers, Map.of()));
        pods.add(new Pod(by + " entity operator", Map.of("strimzi.io/cluster", name, "strimzi.io/kind", "Kafka",
                "strimzi.io/name", name + "-entity-operator"), Map.of()));

        // Strimzi's policy for the listener ports: the listener's networkPolicyPeers, or anyone without them
        List<Object> rules = new ArrayList<>();
        for (Map<String, Object> listener : maps(kafka, "spec", "kafka", "listeners")) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("ports", List.of(Map.of("port", listener.get("port"))));
            List<Object> peers = list(listener.get("networkPolicyPeers"));
            if (!peers.isEmpty()) {
                rule.put("from", peers);
            }
            rules.add(rule);
        }
        Map<String, Object> policy = object("networking.k8s.io/v1", "NetworkPolicy", name + "-network-policy-kafka", by);
        policy.put("spec", new LinkedHashMap<>(Map.of(
                "podSelector", Map.of("matchLabels", Map.of("strimzi.io/cluster", name, "strimzi.io/kind", "Kafka",
                        "strimzi.io/name", name + "-kafka")),
                "policyTypes", List.of("Ingress"),
                "ingress", rules)));
        objects.add(policy);
    }

    /** CloudNativePG: the app user's Secret, the -rw/-ro/-r Services and the instances (with the inherited labels). */
    private void cnpgCluster(Map<String, Object> cluster) {
        String name = K8s.name(cluster);
        String by = K8s.id(cluster);
        objects.add(secret(name + "-app", List.of("username", "password", "dbname", "host", "port", "uri", "pgpass"), by));
        Map<String, String> labels = new LinkedHashMap<>();
        map(at(cluster, "spec", "inheritedMetadata", "labels")).forEach((k, v) -> labels.put(k, String.valueOf(v)));
        labels.put("cnpg.io/cluster", name);
        labels.put("cnpg.io/podRole", "instance");
        for (String suffix : List.of("rw", "ro", "r")) {
            objects.add(service(name + "-" + suffix, Map.of("cnpg.io/cluster", name),
                    List.of(Map.of("name", "postgres", "port", 5432, "targetPort", 5432)), by));
        }
        pods.add(new Pod(by + " instances", labels, Map.of("postgresql", 5432, "status", 8000)));
    }

    private static Map<String, Object> object(String apiVersion, String kind, String name, String createdBy) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.put("metadata", new LinkedHashMap<>(Map.of("name", name,
                "annotations", Map.of("deploy-checks/created-by", createdBy))));
        return object;
    }

    private static Map<String, Object> secret(String name, List<String> keys, String createdBy) {
        Map<String, Object> secret = object("v1", "Secret", name, createdBy);
        Map<String, Object> data = new LinkedHashMap<>();
        keys.forEach(k -> data.put(k, ""));
        secret.put("data", data);
        return secret;
    }

    private static Map<String, Object> service(String name, Map<String, String> selector, List<Object> ports, String createdBy) {
        Map<String, Object> service = object("v1", "Service", name, createdBy);
        service.put("spec", new LinkedHashMap<>(Map.of("selector", selector, "ports", ports)));
        return service;
    }

    static String createdBy(Map<String, Object> object) {
        return str(object, "metadata", "annotations", "deploy-checks/created-by");
    }
}

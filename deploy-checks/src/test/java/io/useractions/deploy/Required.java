package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.list;
import static io.useractions.deploy.Yamls.map;
import static io.useractions.deploy.Yamls.maps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The fields the API server (or Strimzi's CRD schema) requires, which the typed models leave optional. */
final class Required {

    private Required() {
    }

    static List<String> check(Map<String, Object> object) {
        List<String> problems = new ArrayList<>();
        String id = K8s.id(object);
        if (K8s.name(object) == null || K8s.name(object).isBlank()) {
            problems.add(id + ": metadata.name is required");
        }
        String kind = K8s.kind(object);
        if (K8s.WORKLOAD_KINDS.contains(kind)) {
            List<Map<String, Object>> containers = K8s.containers(object);
            if (containers.isEmpty()) {
                problems.add(id + ": the pod template needs at least one container");
            }
            for (Map<String, Object> c : containers) {
                if (c.get("name") == null || c.get("image") == null) {
                    problems.add(id + ": every container needs a name and an image");
                }
                for (Map<String, Object> port : maps(c, "ports")) {
                    if (!(port.get("containerPort") instanceof Integer p) || p < 1 || p > 65535) {
                        problems.add(id + ": container " + c.get("name") + " has a port without a valid containerPort");
                    }
                }
            }
            if (!kind.equals("Job") && !kind.equals("CronJob")) {
                Map<String, Object> selector = map(at(object, "spec", "selector", "matchLabels"));
                if (!K8s.selects(selector, K8s.podLabels(object))) {
                    problems.add(id + ": spec.selector " + selector + " does not match the template's labels "
                            + K8s.podLabels(object));
                }
            }
            if (kind.equals("StatefulSet") && at(object, "spec", "serviceName") == null) {
                problems.add(id + ": spec.serviceName is required");
            }
        }
        if (kind.equals("Service")) {
            for (Map<String, Object> port : maps(object, "spec", "ports")) {
                if (!(port.get("port") instanceof Integer)) {
                    problems.add(id + ": every port needs a numeric port");
                }
            }
        }
        if (kind.equals("KafkaTopic")) {
            for (String field : List.of("partitions", "replicas")) {
                if (!(at(object, "spec", field) instanceof Integer n) || n < 1) {
                    problems.add(id + ": spec." + field + " must be a positive integer");
                }
            }
        }
        if (kind.equals("KafkaNodePool")) {
            if (list(at(object, "spec", "roles")).isEmpty() || at(object, "spec", "storage") == null
                    || !(at(object, "spec", "replicas") instanceof Integer)) {
                problems.add(id + ": spec.replicas, spec.roles and spec.storage are required");
            }
        }
        if (kind.equals("NetworkPolicy") && !(at(object, "spec", "podSelector") instanceof Map<?, ?>)) {
            problems.add(id + ": spec.podSelector is required ({} selects every pod)");
        }
        if (kind.equals("KafkaUser") && at(object, "spec", "authentication", "type") == null) {
            problems.add(id + ": spec.authentication.type is required");
        }
        if (kind.equals("Kafka") && list(at(object, "spec", "kafka", "listeners")).isEmpty()) {
            problems.add(id + ": spec.kafka.listeners is required");
        }
        return problems;
    }
}

package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.map;
import static io.useractions.deploy.Yamls.maps;
import static io.useractions.deploy.Yamls.str;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Ways into rendered Kubernetes objects (maps). */
final class K8s {
    static final List<String> WORKLOAD_KINDS = List.of("Deployment", "StatefulSet", "Job", "CronJob");

    private K8s() {
    }

    static String id(Map<String, Object> object) {
        return object.get("kind") + " " + str(object, "metadata", "name");
    }

    static String kind(Map<String, Object> object) {
        return String.valueOf(object.get("kind"));
    }

    static String name(Map<String, Object> object) {
        return str(object, "metadata", "name");
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).collect(Collectors.toList());
    }

    static Optional<Map<String, Object>> find(List<Map<String, Object>> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    /** The pod template of a workload (a CronJob's through its job template). */
    static Map<String, Object> podTemplate(Map<String, Object> workload) {
        if ("CronJob".equals(workload.get("kind"))) {
            return map(at(workload, "spec", "jobTemplate", "spec", "template"));
        }
        return map(at(workload, "spec", "template"));
    }

    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(podTemplate(workload).get("spec"));
    }

    static Map<String, Object> podLabels(Map<String, Object> workload) {
        return map(at(podTemplate(workload), "metadata", "labels"));
    }

    static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return maps(podSpec(workload), "containers");
    }

    static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        return !selector.isEmpty() && selector.entrySet().stream()
                .allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey()))));
    }

    /** The image's repository without registry host and tag, e.g. ual/ingest-service. */
    static String imageRepository(String image) {
        String withoutTag = image.replaceFirst(":[^:/]+$", "");
        String[] parts = withoutTag.split("/");
        return parts.length >= 2 ? parts[parts.length - 2] + "/" + parts[parts.length - 1] : withoutTag;
    }

    static String imageTag(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "latest";
    }

    /** A Kubernetes quantity in bytes (Ki, Mi, Gi, or a plain number). */
    static long bytes(String quantity) {
        String q = quantity.trim();
        String[][] units = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"k", "1000"}, {"M", "1000000"},
                {"G", "1000000000"}};
        for (String[] unit : units) {
            if (q.endsWith(unit[0])) {
                return Long.parseLong(q.substring(0, q.length() - unit[0].length())) * Long.parseLong(unit[1]);
            }
        }
        return Long.parseLong(q);
    }
}

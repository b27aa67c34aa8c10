package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.str;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's resources and the processor replicas describe the same throughput, by docs/deploy.md's
 * figures: processor replicas ≈ peak actions/s ÷ N, and PostgreSQL: C core per processor replica. The
 * CloudNativePG Cluster requests C × replicas at least, and the Sizing table states what it requests.
 */
final class DatabaseSizing {
    private static final Pattern REPLICA_RULE = Pattern.compile("processor replicas ≈ peak\\s+actions/s ÷ ([\\d,]+)");
    private static final Pattern POSTGRES_RULE = Pattern.compile("PostgreSQL:\\s+([\\d.]+)\\s+core\\s+per\\s+processor\\s+replica");

    private DatabaseSizing() {
    }

    static List<String> check(List<Map<String, Object>> objects, String deployMd) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> clusters = K8s.ofKind(objects, "Cluster").stream()
                .filter(c -> Operated.CNPG.equals(c.get("apiVersion"))).toList();
        if (clusters.isEmpty()) {
            return problems;
        }
        Matcher rate = REPLICA_RULE.matcher(deployMd);
        Matcher cores = POSTGRES_RULE.matcher(deployMd);
        String[] row = deployMd.lines().filter(l -> l.startsWith("| PostgreSQL |")).findFirst()
                .map(l -> Arrays.stream(l.split("\\|")).map(String::trim).toArray(String[]::new)).orElse(null);
        if (!rate.find() || !cores.find() || row == null || row.length < 5) {
            problems.add("docs/deploy.md states no \"processor replicas ≈ peak actions/s ÷ N\", no \"PostgreSQL: C core per "
                    + "processor replica\" or no \"| PostgreSQL |\" row in its Sizing table");
            return problems;
        }
        int actionsPerReplica = Integer.parseInt(rate.group(1).replace(",", ""));
        double corePerReplica = Double.parseDouble(cores.group(1));
        int replicas = K8s.find(objects, "StatefulSet", "ual-processor")
                .map(p -> at(p, "spec", "replicas") instanceof Integer r ? r : 1).orElse(0);
        for (Map<String, Object> cluster : clusters) {
            String id = K8s.id(cluster);
            String cpu = str(cluster, "spec", "resources", "requests", "cpu");
            String memory = str(cluster, "spec", "resources", "limits", "memory");
            long needed = Math.round(replicas * corePerReplica * 1000);
            if (cpu == null || millicores(cpu) < needed) {
                problems.add(id + " requests " + cpu + " CPU, but " + replicas + " processor replicas (" + replicas * actionsPerReplica
                        + " actions/s by the replica rule) need " + needed + "m of PostgreSQL (docs/deploy.md: " + corePerReplica
                        + " core per processor replica)");
            }
            if (cpu == null || millicores(row[3]) != millicores(cpu) || !row[2].equals(memory)
                    || !row[4].startsWith(at(cluster, "spec", "instances") + " instances")) {
                problems.add("docs/deploy.md's Sizing table says PostgreSQL " + row[2] + ", " + row[3] + ", " + row[4] + "; " + id
                        + " has " + memory + ", " + cpu + ", " + at(cluster, "spec", "instances") + " instances");
            }
        }
        return problems;
    }

    static long millicores(String quantity) {
        String q = quantity.trim();
        try {
            return q.endsWith("m") ? Long.parseLong(q.substring(0, q.length() - 1)) : Math.round(Double.parseDouble(q) * 1000);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL through CloudNativePG where the overlay is highly available: a Cluster of three instances
 * or more with synchronous replication that waits for a standby, PostgreSQL at the major version compose
 * and the tests run, the application database and owner the services connect as, and the services on
 * its read-write Service with the operator's app credentials.
 */
final class DatabaseChecks {
    private final KubeChecks kube;
    private final List<String> problems = new ArrayList<>();

    DatabaseChecks(KubeChecks kube) {
        this.kube = kube;
    }

    List<String> run() {
        List<Map<String, Object>> clusters = K8s.ofKind(kube.objects(), "Cluster").stream()
                .filter(c -> Operated.CNPG.equals(c.get("apiVersion"))).toList();
        if (kube.brokers() >= 3 && clusters.isEmpty()) {
            problems.add("the overlay is highly available (" + kube.brokers() + " Kafka brokers) but PostgreSQL is not: it needs a "
                    + "CloudNativePG Cluster (postgresql.cnpg.io/v1) with three instances and synchronous replication");
        }
        for (Map<String, Object> cluster : clusters) {
            cluster(cluster);
        }
        return problems;
    }

    private void cluster(Map<String, Object> cluster) {
        String id = K8s.id(cluster);
        String name = K8s.name(cluster);
        int instances = at(cluster, "spec", "instances") instanceof Integer i ? i : 1;
        if (instances < 3) {
            problems.add(id + ": instances: " + instances + "; a primary and two standbys (3) keep a synchronous standby "
                    + "while one instance is down");
        }
        Object number = at(cluster, "spec", "postgresql", "synchronous", "number");
        Object legacy = at(cluster, "spec", "minSyncReplicas");
        if (!(number instanceof Integer n && n >= 1) && !(legacy instanceof Integer l && l >= 1)) {
            problems.add(id + ": no synchronous replication (spec.postgresql.synchronous.number >= 1): a failover could lose "
                    + "rows the primary had acknowledged");
        } else if (number instanceof Integer n && n >= instances) {
            problems.add(id + ": " + n + " synchronous standbys need more than " + instances + " instances");
        }
        if ("preferred".equals(str(cluster, "spec", "postgresql", "synchronous", "dataDurability"))) {
            problems.add(id + ": dataDurability preferred acknowledges writes without a standby when none is healthy; "
                    + "use required");
        }

        String composeImage = kube.infrastructureImages().stream().filter(i -> i.startsWith("postgres:")).findFirst().orElse("postgres:?");
        String major = composeImage.substring("postgres:".length()).replaceFirst("\\..*", "");
        String image = str(cluster, "spec", "imageName");
        if (image == null || !image.replaceFirst("^.*:", "").replaceFirst("[.-].*", "").equals(major)) {
            problems.add(id + ": imageName " + image + " is not PostgreSQL " + major + ", the major version of docker-compose.yml ("
                    + composeImage + ") and the tests (the operator's default changes with its release)");
        }

        for (Map<String, Object> workload : kube.workloads()) {
            for (Map<String, Object> container : K8s.containers(workload)) {
                Optional<AppModule> module = kube.serviceOf(container);
                if (module.isEmpty() || !module.get().usesDatabase()) {
                    continue;
                }
                Map<String, KubeChecks.EnvValue> env = kube.environment(container);
                String where = K8s.id(workload);
                String url = Optional.ofNullable(env.get("QUARKUS_DATASOURCE_JDBC_URL")).map(KubeChecks.EnvValue::value).orElse("");
                Matcher m = Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)").matcher(url);
                if (!m.find() || !m.group(1).equals(name + "-rw")) {
                    problems.add(where + ": QUARKUS_DATASOURCE_JDBC_URL=" + url + " is not " + id + "'s read-write Service " + name + "-rw");
                    continue;
                }
                String database = str(cluster, "spec", "bootstrap", "initdb", "database");
                if (!m.group(3).equals(database)) {
                    problems.add(where + ": connects to database " + m.group(3) + ", " + id + " creates " + database
                            + " (spec.bootstrap.initdb.database)");
                }
                for (String[] credential : new String[][] {{"QUARKUS_DATASOURCE_USERNAME", "username"}, {"QUARKUS_DATASOURCE_PASSWORD", "password"}}) {
                    KubeChecks.EnvValue value = env.get(credential[0]);
                    if (value == null || !(name + "-app").equals(value.secretName()) || !credential[1].equals(value.secretKey())) {
                        problems.add(where + ": " + credential[0] + " must come from Secret " + name + "-app key " + credential[1]
                                + " (the app user CloudNativePG creates)");
                    }
                }
            }
        }
    }
}

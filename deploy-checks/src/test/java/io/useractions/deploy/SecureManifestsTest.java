package io.useractions.deploy;

import static io.useractions.deploy.BrokenManifestsTest.assertReported;
import static io.useractions.deploy.BrokenManifestsTest.container;
import static io.useractions.deploy.BrokenManifestsTest.env;
import static io.useractions.deploy.BrokenManifestsTest.object;
import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.list;
import static io.useractions.deploy.Yamls.map;
import static io.useractions.deploy.Yamls.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Authenticated and encrypted Kafka with least-privilege users, NetworkPolicies and a replicated
 * PostgreSQL: what the overlays have, and broken copies that the checks must report.
 */
class SecureManifestsTest {
    private static final Repo REPO = Repo.find();

    private static Map<String, Object> kafkaUser(List<Map<String, Object>> objects, String name) {
        return K8s.find(objects, "KafkaUser", name).orElseThrow();
    }

    private static Map<String, Object> listener(List<Map<String, Object>> objects) {
        return maps(object(objects, "Kafka", "ual-kafka"), "spec", "kafka", "listeners").get(0);
    }

    private static Map<String, Object> policy(List<Map<String, Object>> objects, String name) {
        return K8s.find(objects, "NetworkPolicy", name).orElseThrow();
    }

    // What the overlays have

    @Test
    void everyKafkaClientLogsInAsItsOwnUser() {
        for (String overlay : Overlays.names(REPO)) {
            List<Map<String, Object>> objects = Overlays.render(REPO, overlay);
            KubeChecks checks = Overlays.checks(REPO, overlay, objects);
            Map<String, String> userByWorkload = new LinkedHashMap<>();
            for (Map<String, Object> workload : checks.workloads()) {
                Map<String, Object> container = K8s.containers(workload).get(0);
                KubeChecks.EnvValue jaas = checks.environment(container).get("KAFKA_SASL_JAAS_CONFIG");
                if (jaas != null) {
                    userByWorkload.put(K8s.id(workload), jaas.secretName());
                }
            }
            assertEquals(Map.of("Deployment ual-ingest", "ual-ingest", "StatefulSet ual-processor", "ual-processor",
                    "CronJob ual-replay", "ual-replay", "Deployment ual-console", "ual-console"), userByWorkload, overlay);
            assertEquals(Set.copyOf(userByWorkload.values()),
                    K8s.ofKind(objects, "KafkaUser").stream().map(K8s::name).collect(Collectors.toSet()), overlay);
        }
    }

    @Test
    void prodRunsPostgreSqlThroughCloudNativePgWithASynchronousStandby() {
        List<Map<String, Object>> prod = Overlays.render(REPO, "prod");
        Map<String, Object> cluster = K8s.find(prod, "Cluster", "ual-postgres").orElseThrow();
        assertEquals("postgresql.cnpg.io/v1", cluster.get("apiVersion"));
        assertEquals(3, at(cluster, "spec", "instances"));
        assertEquals(1, at(cluster, "spec", "postgresql", "synchronous", "number"));
        assertEquals("required", at(cluster, "spec", "postgresql", "synchronous", "dataDurability"));
        assertTrue(K8s.ofKind(prod, "StatefulSet").stream().noneMatch(s -> K8s.name(s).equals("ual-postgres")),
                "prod has no single PostgreSQL besides the Cluster");
    }

    // Kafka: listener, cluster

    @Test
    void plaintextListener() {
        assertReported("prod", o -> listener(o).put("tls", false), "listener tls (port 9093) is not TLS");
    }

    @Test
    void listenerWithoutScram() {
        assertReported("prod", o -> listener(o).remove("authentication"),
                "listener tls (port 9093) authenticates with nothing, not scram-sha-512");
        assertReported("dev", o -> listener(o).put("authentication", Map.of("type", "tls")),
                "authenticates with tls, not scram-sha-512");
    }

    @Test
    void kafkaWithoutAuthorization() {
        assertReported("prod", o -> map(at(object(o, "Kafka", "ual-kafka"), "spec", "kafka")).remove("authorization"),
                "Kafka ual-kafka: no authorization");
    }

    @Test
    void usersWithoutTheUserOperator() {
        assertReported("dev", o -> map(at(object(o, "Kafka", "ual-kafka"), "spec", "entityOperator")).remove("userOperator"),
                "no User Operator");
    }

    // Kafka: each client's settings

    @Test
    void clientWithoutItsCredentials() {
        assertReported("prod", o -> list(at(container(o, "Deployment", "ual-console"), "env"))
                .removeIf(e -> "KAFKA_SASL_JAAS_CONFIG".equals(map(e).get("name"))),
                "Deployment ual-console (console): KAFKA_SASL_JAAS_CONFIG must come from its KafkaUser's Secret (key sasl.jaas.config), it is not set");
        assertReported("prod", o -> {
            Map<String, Object> jaas = env(container(o, "Deployment", "ual-ingest"), "KAFKA_SASL_JAAS_CONFIG");
            jaas.remove("valueFrom");
            jaas.put("value", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ual-ingest\" password=\"x\";");
        }, "KAFKA_SASL_JAAS_CONFIG must come from its KafkaUser's Secret (key sasl.jaas.config), not a literal value");
    }

    @Test
    void clientOnPlaintext() {
        assertReported("prod", o -> map(object(o, "ConfigMap", "ual-kafka-client-env").get("data"))
                .put("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"), "KAFKA_SECURITY_PROTOCOL=PLAINTEXT, the Kafka listener needs SASL_SSL");
        assertReported("dev", o -> map(object(o, "ConfigMap", "ual-kafka-client-env").get("data"))
                .put("KAFKA_SASL_MECHANISM", "PLAIN"), "KAFKA_SASL_MECHANISM=PLAIN, the Kafka listener needs SCRAM-SHA-512");
        assertReported("dev", o -> map(object(o, "ConfigMap", "ual-kafka-client-env").get("data"))
                .put("KAFKA_BOOTSTRAP_SERVERS", "ual-kafka-kafka-bootstrap:9092"),
                "KAFKA_BOOTSTRAP_SERVERS=ual-kafka-kafka-bootstrap:9092 is no listener of the overlay's Kafka");
    }

    @Test
    void clientWithoutTheClusterCa() {
        assertReported("prod", o -> list(at(container(o, "Deployment", "ual-ingest"), "volumeMounts"))
                .removeIf(m -> "kafka-ca".equals(map(m).get("name"))),
                "Deployment ual-ingest (ingest): the cluster CA (Secret ual-kafka-cluster-ca-cert, key ca.p12) is not mounted");
        assertReported("dev", o -> map(object(o, "ConfigMap", "ual-kafka-client-env").get("data"))
                .put("KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/ual/kafka-ca/ca.crt"),
                "KAFKA_SSL_TRUSTSTORE_LOCATION=/etc/ual/kafka-ca/ca.crt is not the mounted cluster CA [/etc/ual/kafka-ca/ca.p12]");
        assertReported("prod", o -> map(at(env(container(o, "CronJob", "ual-replay"), "KAFKA_SSL_TRUSTSTORE_PASSWORD"),
                "valueFrom", "secretKeyRef")).put("name", "ual-credentials"),
                "CronJob ual-replay (replay): KAFKA_SSL_TRUSTSTORE_PASSWORD must come from Secret ual-kafka-cluster-ca-cert key ca.password");
    }

    // Kafka: users and their ACLs

    @Test
    void userAllowedAnExtraWrite() {
        assertReported("prod", o -> list(at(kafkaUser(o, "ual-console"), "spec", "authorization", "acls")).add(Map.of(
                "resource", Map.of("type", "topic", "name", "ui-actions-dlq", "patternType", "literal"),
                "operations", List.of("Write"))),
                "KafkaUser ual-console allows more than console needs: [Write on topic ui-actions-dlq]");
        assertReported("dev", o -> list(at(kafkaUser(o, "ual-ingest"), "spec", "authorization", "acls")).add(Map.of(
                "resource", Map.of("type", "topic", "name", "ui-", "patternType", "prefix"), "operations", List.of("All"))),
                "KafkaUser ual-ingest allows more than ingest needs: [All on topic ui- (prefix)]");
    }

    @Test
    void userLackingWhatItsClientDoes() {
        assertReported("prod", o -> list(at(kafkaUser(o, "ual-processor"), "spec", "authorization", "acls"))
                .removeIf(r -> "ual-postgres-sink".equals(at(r, "resource", "name"))),
                "KafkaUser ual-processor lacks what processor needs: [Read on group ual-postgres-sink]");
    }

    @Test
    void aclsFollowTheGroupTheProcessorIsGiven() {
        assertReported("prod", o -> map(object(o, "ConfigMap", "ual-processor-env").get("data"))
                .put("UAL_PROCESSOR_SINK_GROUP_ID", "ual-sink"),
                "KafkaUser ual-processor lacks what processor needs: [Read on group ual-sink]");
    }

    @Test
    void missingUser() {
        assertReported("prod", o -> o.remove(kafkaUser(o, "ual-replay")),
                "CronJob ual-replay (replay): logs in with Secret ual-replay, but there is no KafkaUser ual-replay");
    }

    @Test
    void replayLoggingInAsTheProcessor() {
        assertReported("dev", o -> map(at(env(container(o, "CronJob", "ual-replay"), "KAFKA_SASL_JAAS_CONFIG"), "valueFrom",
                "secretKeyRef")).put("name", "ual-processor"), "KafkaUser ual-processor: shared by [PROCESSOR, REPLAY]");
        assertReported("dev", o -> map(at(env(container(o, "CronJob", "ual-replay"), "KAFKA_SASL_JAAS_CONFIG"), "valueFrom",
                "secretKeyRef")).put("name", "ual-processor"), "KafkaUser ual-processor allows more than replay needs");
    }

    @Test
    void userNobodyUses() {
        assertReported("prod", o -> {
            Map<String, Object> extra = Yamls.copy(kafkaUser(o, "ual-console"));
            map(extra.get("metadata")).put("name", "ual-debug");
            o.add(extra);
        }, "KafkaUser ual-debug: no workload uses it");
    }

    // NetworkPolicies

    @Test
    void noNetworkPolicies() {
        assertReported("prod", o -> o.removeIf(x -> "NetworkPolicy".equals(x.get("kind"))),
                "Deployment ual-study-app can connect to Redis (ual-redis:6379), which study-app does not use");
        assertReported("dev", o -> o.removeIf(x -> "NetworkPolicy".equals(x.get("kind"))),
                "Deployment ual-study-app may open connections anywhere");
        assertReported("dev", o -> o.removeIf(x -> "NetworkPolicy".equals(x.get("kind"))),
                "PostgreSQL (ual-postgres-rw:5432) on StatefulSet ual-postgres, port 5432: accepts connections from outside the namespace");
    }

    @Test
    void policyLettingEveryoneIntoRedis() {
        assertReported("prod", o -> list(at(policy(o, "ual-redis"), "spec", "ingress")).add(Map.of()),
                "Redis (ual-redis:6379) on Deployment ual-redis, port 6379: accepts connections from outside the namespace: "
                        + "NetworkPolicy ual-redis lets in any source");
        assertReported("dev", o -> list(maps(policy(o, "ual-redis"), "spec", "ingress").get(0).get("from"))
                .add(Map.of("podSelector", Map.of())),
                "Redis (ual-redis:6379) on Deployment ual-redis, port 6379: its NetworkPolicies let in Deployment ual-study-app");
    }

    @Test
    void kafkaListenerWithoutPeers() {
        assertReported("prod", o -> listener(o).remove("networkPolicyPeers"),
                "Kafka (ual-kafka-kafka-bootstrap:9093) on Kafka ual-kafka brokers, port 9093: accepts connections from outside "
                        + "the namespace: NetworkPolicy ual-kafka-network-policy-kafka lets in any source");
    }

    @Test
    void serviceCutOffFromWhatItUses() {
        assertReported("prod", o -> list(at(policy(o, "ual-ingest-egress"), "spec", "egress"))
                .removeIf(r -> String.valueOf(r).contains("redis")),
                "Deployment ual-ingest cannot connect to Redis (ual-redis:6379), which ingest-service uses");
        assertReported("dev", o -> list(maps(maps(listener(o), "networkPolicyPeers").get(0), "podSelector", "matchExpressions")
                .get(0).get("values")).remove("stream-processor-replay"),
                "CronJob ual-replay cannot connect to Kafka (ual-kafka-kafka-bootstrap:9093), which stream-processor uses");
    }

    @Test
    void studyAppReachingRedis() {
        assertReported("dev", o -> {
            map(policy(o, "ual-study-app-egress").get("spec")).put("egress", List.of(Map.of("ports", List.of(Map.of("port", 6379)))));
            list(at(maps(policy(o, "ual-redis"), "spec", "ingress").get(0), "from"))
                    .add(Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "study-app"))));
        }, "Deployment ual-study-app can connect to Redis (ual-redis:6379), which study-app does not use");
    }

    @Test
    void consoleReachableFromTheIngressController() {
        assertReported("prod", o -> list(maps(policy(o, "ual-from-ingress-controller"), "spec", "podSelector", "matchExpressions")
                .get(0).get("values")).add("console"),
                "Deployment ual-console accepts connections on port 8070 from outside the namespace");
    }

    @Test
    void publicServiceOpenToEveryNamespace() {
        assertReported("prod", o -> maps(policy(o, "ual-from-ingress-controller"), "spec", "ingress").get(0)
                .put("from", List.of(Map.of("namespaceSelector", Map.of()))),
                "Deployment ual-ingest accepts connections on port 8080 from anywhere");
        assertReported("dev", o -> list(at(policy(o, "ual-from-ingress-controller"), "spec", "ingress")).clear(),
                "Deployment ual-study-app is behind an Ingress, but no NetworkPolicy lets the ingress controller in on port 8090");
    }

    @Test
    void databaseOpenToAnotherNamespace() {
        assertReported("prod", o -> list(maps(policy(o, "ual-postgres"), "spec", "ingress").get(0).get("from"))
                .add(Map.of("namespaceSelector", Map.of())),
                "PostgreSQL (ual-postgres-rw:5432) on Cluster ual-postgres instances, port 5432: accepts connections from outside the namespace");
    }

    // PostgreSQL

    @Test
    void prodWithoutSynchronousReplication() {
        assertReported("prod", o -> map(at(object(o, "Cluster", "ual-postgres"), "spec", "postgresql")).remove("synchronous"),
                "Cluster ual-postgres: no synchronous replication");
        assertReported("prod", o -> map(at(object(o, "Cluster", "ual-postgres"), "spec", "postgresql", "synchronous"))
                .put("dataDurability", "preferred"), "dataDurability preferred acknowledges writes without a standby");
    }

    @Test
    void prodWithOneDatabaseInstance() {
        assertReported("prod", o -> map(object(o, "Cluster", "ual-postgres").get("spec")).put("instances", 1),
                "Cluster ual-postgres: instances: 1;");
    }

    @Test
    void prodWithoutCloudNativePg() {
        assertReported("prod", o -> o.removeIf(x -> "Cluster".equals(x.get("kind"))),
                "the overlay is highly available (3 Kafka brokers) but PostgreSQL is not");
    }

    @Test
    void databaseOfAnotherMajorVersion() {
        assertReported("prod", o -> map(object(o, "Cluster", "ual-postgres").get("spec"))
                .put("imageName", "ghcr.io/cloudnative-pg/postgresql:17.2"),
                "imageName ghcr.io/cloudnative-pg/postgresql:17.2 is not PostgreSQL 16");
    }

    @Test
    void clusterOutsideTheCrdSchema() {
        assertReported("prod", o -> map(object(o, "Cluster", "ual-postgres").get("spec")).put("instance", 3),
                "Cluster ual-postgres: unknown field .spec.instance (not in the CRD excerpt");
        assertReported("prod", o -> map(at(object(o, "Cluster", "ual-postgres"), "spec", "postgresql", "synchronous"))
                .put("method", "all"), "Cluster ual-postgres: .spec.postgresql.synchronous.method all is not one of [any, first]");
        assertReported("prod", o -> map(at(object(o, "Cluster", "ual-postgres"), "spec", "postgresql", "synchronous"))
                .put("number", "1"), "Cluster ual-postgres: .spec.postgresql.synchronous.number must be an integer");
    }

    @Test
    void servicesOnAReadOnlyService() {
        assertReported("prod", o -> map(object(o, "ConfigMap", "ual-processor-env").get("data"))
                .put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://ual-postgres-ro:5432/ual"),
                "QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://ual-postgres-ro:5432/ual is not Cluster ual-postgres's read-write Service");
    }

    @Test
    void databaseCredentialsNotTheOperators() {
        assertReported("prod", o -> map(at(env(container(o, "Deployment", "ual-console"), "QUARKUS_DATASOURCE_PASSWORD"),
                "valueFrom", "secretKeyRef")).put("name", "ual-credentials"),
                "Deployment ual-console: QUARKUS_DATASOURCE_PASSWORD must come from Secret ual-postgres-app key password");
    }

    /** The whole path, from files to problems: a broken copy of deploy/ fails when rendered and checked. */
    @Test
    void insecureCopyOfTheFilesFails() throws IOException {
        Path copy = Path.of("target", "insecure-deploy").toAbsolutePath();
        BrokenManifestsTest.deleteRecursively(copy);
        BrokenManifestsTest.copyRecursively(REPO.path("deploy"), copy);
        Path kafka = copy.resolve("base/kafka/kafka.yaml");
        Files.writeString(kafka, Files.readString(kafka).replace("tls: true", "tls: false"));
        Path users = copy.resolve("base/kafka/users.yaml");
        Files.writeString(users, Files.readString(users).replace(
                "      - resource: {type: topic, name: ui-actions-dlq, patternType: literal}\n        operations: [Read, Describe]",
                "      - resource: {type: topic, name: ui-actions-dlq, patternType: literal}\n        operations: [Read, Write, Describe]"));
        Path policies = copy.resolve("base/network/policies.yaml");
        Files.writeString(policies, Files.readString(policies).replace("values: [ingest-service, console]",
                "values: [ingest-service, console, study-app]"));
        Path cluster = copy.resolve("overlays/prod/postgres.yaml");
        Files.writeString(cluster, Files.readString(cluster).replace("      number: 1\n", ""));

        KubeChecks.ExternalSecrets secrets = KubeChecks.ExternalSecrets.fromDocs(REPO.read("docs/deploy.md"));
        String dev = String.join("\n", new KubeChecks(REPO, "insecure dev", Kustomize.render(copy.resolve("overlays/dev")), secrets).run());
        assertTrue(dev.contains("listener tls (port 9093) is not TLS"), dev);
        assertTrue(dev.contains("KafkaUser ual-console allows more than console needs: [Write on topic ui-actions-dlq]"), dev);
        assertTrue(dev.contains("its NetworkPolicies let in Deployment ual-study-app"), dev);
        String prod = String.join("\n", new KubeChecks(REPO, "insecure prod", Kustomize.render(copy.resolve("overlays/prod")), secrets).run());
        assertTrue(prod.contains("Cluster ual-postgres: .spec.postgresql.synchronous needs the field number"), prod);
        assertTrue(prod.contains("Cluster ual-postgres: no synchronous replication"), prod);
    }
}

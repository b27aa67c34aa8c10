package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.map;
import static io.useractions.deploy.Yamls.maps;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Deliberately broken copies of the overlays: each check must report its breakage. */
class BrokenManifestsTest {
    private static final Repo REPO = Repo.find();

    static Map<String, Object> object(List<Map<String, Object>> objects, String kind, String namePrefix) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && K8s.name(o).startsWith(namePrefix))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + namePrefix));
    }

    static Map<String, Object> container(List<Map<String, Object>> objects, String kind, String name) {
        return K8s.containers(object(objects, kind, name)).get(0);
    }

    static void assertReported(String overlay, Consumer<List<Map<String, Object>>> breakage, String expected) {
        List<Map<String, Object>> objects = Overlays.render(REPO, overlay);
        breakage.accept(objects);
        List<String> problems = Overlays.checks(REPO, overlay, objects).run();
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem containing '" + expected + "', got:\n" + String.join("\n", problems));
    }

    @Test
    void wrongContainerPort() {
        assertReported("dev", o -> maps(container(o, "Deployment", "ual-ingest"), "ports").get(0).put("containerPort", 8088),
                "containerPort 8088 but ingest-service listens on 8080");
    }

    @Test
    void unknownEnvironmentVariable() {
        assertReported("prod", o -> map(object(o, "ConfigMap", "ual-ingest-env").get("data"))
                .put("UAL_INGEST_MAX_BODY_BYTE", "2048"),
                "UAL_INGEST_MAX_BODY_BYTE maps to no configuration property of ingest-service");
    }

    @Test
    void variableOfAnotherService() {
        assertReported("dev", o -> map(object(o, "ConfigMap", "ual-processor-env").get("data"))
                .put("QUARKUS_REDIS_HOSTS", "redis://ual-redis:6379"),
                "QUARKUS_REDIS_HOSTS maps to no configuration property of stream-processor");
    }

    @Test
    void misspeltTopicInTheEnvironment() {
        assertReported("dev", o -> map(object(o, "ConfigMap", "ual-processor-env").get("data"))
                .put("UAL_PROCESSOR_TOPICS_DEAD_LETTER", "ui-actions-dql"),
                "UAL_PROCESSOR_TOPICS_DEAD_LETTER=ui-actions-dql names no KafkaTopic");
    }

    @Test
    void moreProcessorsThanPartitions() {
        assertReported("prod", o -> map(object(o, "StatefulSet", "ual-processor").get("spec")).put("replicas", 13),
                "13 replicas but the raw topic has only 12 partitions");
    }

    @Test
    void gracePeriodShorterThanTheShutdownTimeout() {
        assertReported("dev", o -> K8s.podSpec(object(o, "Deployment", "ual-ingest")).put("terminationGracePeriodSeconds", 30),
                "terminationGracePeriodSeconds 30 is not longer than quarkus.shutdown.timeout (30s)");
    }

    @Test
    void probeOnAPathTheServiceDoesNotServe() {
        assertReported("dev", o -> map(at(container(o, "StatefulSet", "ual-processor"), "readinessProbe", "httpGet"))
                .put("path", "/q/health/readyy"), "readinessProbe /q/health/readyy is not a health path");
    }

    @Test
    void healthProbeOnTheStudyAppWhichHasNoHealthExtension() {
        assertReported("dev", o -> map(at(container(o, "Deployment", "ual-study-app"), "livenessProbe", "httpGet"))
                .put("path", "/q/health/live"), "study-app has no quarkus-smallrye-health");
    }

    @Test
    void probeOnAnUndeclaredPort() {
        assertReported("dev", o -> map(at(container(o, "Deployment", "ual-ingest"), "livenessProbe", "httpGet"))
                .put("port", 9000), "livenessProbe port 9000 is not the service's port 8080");
    }

    @Test
    void serviceTargetingNoContainerPort() {
        assertReported("dev", o -> maps(object(o, "Service", "ual-study-app"), "spec", "ports").get(0).put("targetPort", "web"),
                "targetPort web is no container port");
    }

    @Test
    void imageTheBuildDoesNotProduce() {
        assertReported("prod", o -> container(o, "Deployment", "ual-ingest").put("image", "registry.example.org/ual/ingest-service:latest"),
                "is not tagged with the project's version");
        assertReported("dev", o -> container(o, "Deployment", "ual-ingest").put("image", "ual/ingest:1.0.0-SNAPSHOT"),
                "image ual/ingest:1.0.0-SNAPSHOT is neither a service image");
        assertReported("dev", o -> container(o, "StatefulSet", "ual-postgres").put("image", "postgres:17"),
                "image postgres:17 is neither a service image");
    }

    @Test
    void unknownFieldFailsTheSchema() {
        assertReported("dev", o -> map(object(o, "Deployment", "ual-study-app").get("spec")).put("replica", 2),
                "Deployment ual-study-app: unknown field .spec.replica");
        assertReported("dev", o -> map(object(o, "KafkaTopic", "ui-actions-dlq").get("spec")).put("partition", 2),
                "KafkaTopic ui-actions-dlq: unknown field .spec.partition");
        assertReported("dev", o -> map(at(object(o, "Kafka", "ual-kafka"), "spec", "kafka")).put("listener", List.of()),
                "Kafka ual-kafka: unknown field .spec.kafka.listener");
    }

    @Test
    void wrongTypeFailsTheSchema() {
        assertReported("dev", o -> maps(container(o, "Deployment", "ual-ingest"), "ports").get(0).put("containerPort", "8080"),
                "Deployment ual-ingest: does not match the apps/v1/Deployment schema");
        assertReported("dev", o -> map(object(o, "KafkaNodePool", "dual-role").get("spec")).put("replicas", "one"),
                "KafkaNodePool dual-role: does not match the kafka.strimzi.io/v1beta2/KafkaNodePool schema");
    }

    @Test
    void kindWithoutSchema() {
        assertReported("dev", o -> object(o, "HorizontalPodAutoscaler", "ual-ingest").put("apiVersion", "autoscaling/v2beta1"),
                "no schema for autoscaling/v2beta1/HorizontalPodAutoscaler");
    }

    static Map<String, Object> env(Map<String, Object> container, String name) {
        return maps(container, "env").stream().filter(e -> name.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    @Test
    void missingSecretKey() {
        assertReported("dev", o -> map(at(env(container(o, "Deployment", "ual-ingest"), "UAL_ADMIN_PASSWORD"), "valueFrom",
                "secretKeyRef")).put("key", "admin-pasword"), "has no key admin-pasword");
        assertReported("prod", o -> map(at(env(container(o, "Deployment", "ual-ingest"), "UAL_ADMIN_PASSWORD"), "valueFrom",
                "secretKeyRef")).put("key", "admin-pasword"), "docs/deploy.md creates Secret ual-credentials without the key admin-pasword");
        assertReported("prod", o -> map(at(env(container(o, "Deployment", "ual-ingest"), "KAFKA_SASL_JAAS_CONFIG"), "valueFrom",
                "secretKeyRef")).put("key", "sasl.jaas.conf"), "Secret ual-ingest has no key sasl.jaas.conf");
    }

    @Test
    void studyPostingToAnotherHost() {
        assertReported("prod", o -> map(object(o, "ConfigMap", "ual-study-app-env").get("data"))
                .put("UAL_STUDY_INGEST_URL", "https://ingest.example.org/v1/batches"), "is not the ingest Ingress");
    }

    @Test
    void replayThatWouldRunOnEveryDeploy() {
        assertReported("dev", o -> map(object(o, "CronJob", "ual-replay").get("spec")).put("suspend", false),
                "CronJob ual-replay must be suspended");
    }

    @Test
    void replayRunningNoCommandOfTheProcessor() {
        assertReported("prod", o -> container(o, "CronJob", "ual-replay").put("args", List.of("re-play")),
                "CronJob ual-replay runs stream-processor with [re-play], which is no command of it (commands: [replay])");
        assertReported("dev", o -> container(o, "CronJob", "ual-replay").put("args", List.of()),
                "CronJob ual-replay runs the processor itself");
    }

    @Test
    void autoscaledDeploymentWithFixedReplicas() {
        assertReported("prod", o -> map(object(o, "Deployment", "ual-ingest").get("spec")).put("replicas", 3),
                "sets spec.replicas although HorizontalPodAutoscaler ual-ingest owns them");
    }

    @Test
    void prodWithoutInSyncReplicas() {
        assertReported("prod", o -> map(at(object(o, "Kafka", "ual-kafka"), "spec", "kafka", "config"))
                .put("min.insync.replicas", 1), "min.insync.replicas and transaction.state.log.min.isr must be 2 or more");
    }

    @Test
    void processorCreatingItsOwnTopics() {
        assertReported("dev", o -> map(object(o, "ConfigMap", "ual-processor-env").get("data"))
                .put("UAL_PROCESSOR_TOPICS_CREATE", "true"), "UAL_PROCESSOR_TOPICS_CREATE must be false");
    }

    /** The whole path, from files to problems: a broken copy of deploy/ fails when rendered and checked. */
    @Test
    void brokenCopyOfTheFilesFails() throws IOException {
        Path copy = Path.of("target", "broken-deploy").toAbsolutePath();
        deleteRecursively(copy);
        copyRecursively(REPO.path("deploy"), copy);
        Path ingest = copy.resolve("base/ingest/ingest.yaml");
        Files.writeString(ingest, Files.readString(ingest).replace("containerPort: 8080", "containerPort: 8088"));
        Path env = copy.resolve("base/processor/processor.env");
        Files.writeString(env, Files.readString(env) + "UAL_PROCESSOR_TOPIC_RAW=ui-actions\n");
        Path topics = copy.resolve("base/kafka/topics.yaml");
        Files.writeString(topics, Files.readString(topics).replace("topicName: ui-actions-dlq", "topicName: ui-actions-dlg"));

        List<Map<String, Object>> objects = Kustomize.render(copy.resolve("overlays/dev"));
        List<String> problems = new KubeChecks(REPO, "broken dev", objects,
                KubeChecks.ExternalSecrets.fromDocs(REPO.read("docs/deploy.md"))).run();
        String all = String.join("\n", problems);
        assertTrue(all.contains("containerPort 8088"), all);
        assertTrue(all.contains("UAL_PROCESSOR_TOPIC_RAW maps to no configuration property of stream-processor"), all);
        assertTrue(all.contains("ui-actions-dlg"), all);
    }

    static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}

package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.list;
import static io.useractions.deploy.Yamls.map;
import static io.useractions.deploy.Yamls.maps;
import static io.useractions.deploy.Yamls.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.useractions.model.Topics;

/**
 * Cross-checks of one rendered overlay against itself (every reference resolves) and against the code:
 * environment variables, ports, probes, images, topics, partitions, replicas and shutdown times; then
 * Kafka's security, the NetworkPolicies and the database (KafkaSecurityChecks, NetworkChecks,
 * DatabaseChecks), which see the objects the operators create from the overlay (Operated) as well.
 */
final class KubeChecks {
    /** What an environment variable of a container holds: a value, or a Secret's key. */
    record EnvValue(String value, String secretName, String secretKey) {
    }

    /** Secrets that the operator creates by hand, with their keys, as docs/deploy.md tells. */
    record ExternalSecrets(Map<String, Set<String>> keysBySecret) {
        static ExternalSecrets fromDocs(String markdown) {
            Map<String, Set<String>> out = new LinkedHashMap<>();
            String joined = markdown.replace("\\\n", " ");
            Matcher command = Pattern.compile("kubectl create secret generic ([a-z0-9-]+)([^\n]*)").matcher(joined);
            while (command.find()) {
                Set<String> keys = out.computeIfAbsent(command.group(1), k -> new LinkedHashSet<>());
                Matcher literal = Pattern.compile("--from-literal=([A-Za-z0-9_.-]+)=").matcher(command.group(2));
                while (literal.find()) {
                    keys.add(literal.group(1));
                }
            }
            return new ExternalSecrets(out);
        }
    }

    private final Repo repo;
    private final String overlay;
    private final List<Map<String, Object>> objects;
    private final ExternalSecrets externalSecrets;
    private final Operated operated;
    private final List<String> problems = new ArrayList<>();

    KubeChecks(Repo repo, String overlay, List<Map<String, Object>> objects, ExternalSecrets externalSecrets) {
        this.repo = repo;
        this.overlay = overlay;
        this.objects = objects;
        this.externalSecrets = externalSecrets;
        this.operated = new Operated(objects);
    }

    /** Every problem found, each naming the overlay and the object. */
    List<String> run() {
        SchemaCheck.validate(objects).forEach(this::problem);
        references();
        for (Map<String, Object> workload : workloads()) {
            for (Map<String, Object> container : K8s.containers(workload)) {
                Optional<AppModule> service = serviceOf(container);
                if (service.isPresent()) {
                    serviceContainer(workload, container, service.get());
                } else if (!infrastructureImages().contains(String.valueOf(container.get("image")))) {
                    problem(K8s.id(workload) + " container " + container.get("name") + ": image " + container.get("image")
                            + " is neither a service image (ual/" + Repo.SERVICES + ") nor an infrastructure image of "
                            + "docker-compose.yml " + infrastructureImages());
                }
            }
        }
        topics();
        kafkaCluster();
        endpoints();
        studyWiring();
        replay();
        new KafkaSecurityChecks(this).run().forEach(this::problem);
        new NetworkChecks(this).run().forEach(this::problem);
        new DatabaseChecks(this).run().forEach(this::problem);
        return problems;
    }

    /** The rendered objects, without those the operators create. */
    List<Map<String, Object>> objects() {
        return objects;
    }

    Operated operated() {
        return operated;
    }

    /** An object of the overlay, or one an operator creates from it (a KafkaUser's Secret, CloudNativePG's Services). */
    Optional<Map<String, Object>> find(String kind, String name) {
        return K8s.find(objects, kind, name).or(() -> K8s.find(operated.objects(), kind, name));
    }

    /** The brokers of the overlay's node pools. */
    int brokers() {
        return K8s.ofKind(objects, "KafkaNodePool").stream()
                .filter(pool -> list(at(pool, "spec", "roles")).contains("broker"))
                .mapToInt(pool -> at(pool, "spec", "replicas") instanceof Integer r ? r : 0).sum();
    }

    /** A container's environment as plain values (a Secret's key as secret:NAME/KEY). */
    Map<String, String> environmentValues(Map<String, Object> container) {
        Map<String, String> out = new LinkedHashMap<>();
        environment(container).forEach((k, v) -> out.put(k,
                v.value() != null ? v.value() : "secret:" + v.secretName() + "/" + v.secretKey()));
        return out;
    }

    private void problem(String text) {
        problems.add(overlay + ": " + text);
    }

    List<Map<String, Object>> workloads() {
        return objects.stream().filter(o -> K8s.WORKLOAD_KINDS.contains(K8s.kind(o))).toList();
    }

    /** The images docker-compose.yml pulls (not builds): the same PostgreSQL and Redis everywhere. */
    Set<String> infrastructureImages() {
        Set<String> images = new LinkedHashSet<>();
        Yamls.map(Yamls.parse(repo.read("docker-compose.yml")).get("services")).values().forEach(service -> {
            if (Yamls.at(service, "build") == null && Yamls.at(service, "image") != null) {
                images.add(String.valueOf(Yamls.at(service, "image")));
            }
        });
        return images;
    }

    /** The service module whose image a container runs, if it runs one of ours. */
    Optional<AppModule> serviceOf(Map<String, Object> container) {
        String repository = K8s.imageRepository(String.valueOf(container.get("image")));
        return Repo.SERVICES.stream().filter(s -> repository.equals("ual/" + s)).findFirst().map(repo::service);
    }

    /** A container's environment: env entries over envFrom ConfigMaps and Secrets. */
    Map<String, EnvValue> environment(Map<String, Object> container) {
        Map<String, EnvValue> env = new LinkedHashMap<>();
        for (Map<String, Object> from : maps(container, "envFrom")) {
            String configMap = str(from, "configMapRef", "name");
            if (configMap != null) {
                K8s.find(objects, "ConfigMap", configMap).ifPresent(cm -> map(cm.get("data"))
                        .forEach((k, v) -> env.put(k, new EnvValue(String.valueOf(v), null, null))));
            }
            String secret = str(from, "secretRef", "name");
            if (secret != null) {
                K8s.find(objects, "Secret", secret).ifPresent(s -> map(s.get("data"))
                        .forEach((k, v) -> env.put(k, new EnvValue(null, secret, k))));
            }
        }
        for (Map<String, Object> entry : maps(container, "env")) {
            String name = String.valueOf(entry.get("name"));
            if (entry.containsKey("value")) {
                env.put(name, new EnvValue(String.valueOf(entry.get("value")), null, null));
            } else {
                env.put(name, new EnvValue(null, str(entry, "valueFrom", "secretKeyRef", "name"),
                        str(entry, "valueFrom", "secretKeyRef", "key")));
            }
        }
        return env;
    }

    private void references() {
        for (Map<String, Object> workload : workloads()) {
            String id = K8s.id(workload);
            for (Map<String, Object> container : K8s.containers(workload)) {
                for (Map<String, Object> from : maps(container, "envFrom")) {
                    String configMap = str(from, "configMapRef", "name");
                    if (configMap != null && K8s.find(objects, "ConfigMap", configMap).isEmpty()) {
                        problem(id + ": envFrom names ConfigMap " + configMap + ", which is not in the overlay");
                    }
                    String secret = str(from, "secretRef", "name");
                    boolean optional = Boolean.TRUE.equals(at(from, "secretRef", "optional"));
                    if (secret != null && !optional && find("Secret", secret).isEmpty()
                            && !externalSecrets.keysBySecret().containsKey(secret)) {
                        problem(id + ": envFrom names Secret " + secret + ", neither in the overlay nor in docs/deploy.md");
                    }
                }
                for (Map<String, Object> entry : maps(container, "env")) {
                    String secret = str(entry, "valueFrom", "secretKeyRef", "name");
                    String key = str(entry, "valueFrom", "secretKeyRef", "key");
                    if (secret != null) {
                        secretKey(id + " env " + entry.get("name"), secret, key);
                    }
                }
                Set<String> volumes = new LinkedHashSet<>();
                maps(K8s.podSpec(workload), "volumes").forEach(v -> volumes.add(String.valueOf(v.get("name"))));
                maps(workload, "spec", "volumeClaimTemplates").forEach(v -> volumes.add(K8s.name(v)));
                for (Map<String, Object> mount : maps(container, "volumeMounts")) {
                    if (!volumes.contains(String.valueOf(mount.get("name")))) {
                        problem(id + ": volumeMount " + mount.get("name") + " names no volume of the pod");
                    }
                }
            }
            for (Map<String, Object> volume : maps(K8s.podSpec(workload), "volumes")) {
                String secret = str(volume, "secret", "secretName");
                for (Map<String, Object> item : maps(volume, "secret", "items")) {
                    secretKey(id + " volume " + volume.get("name"), secret, String.valueOf(item.get("key")));
                }
            }
        }
        for (Map<String, Object> service : K8s.ofKind(objects, "Service")) {
            Map<String, Object> selector = map(at(service, "spec", "selector"));
            List<Map<String, Object>> selected = workloads().stream()
                    .filter(w -> K8s.selects(selector, K8s.podLabels(w))).toList();
            if (selected.isEmpty()) {
                problem(K8s.id(service) + ": selector " + selector + " selects no pod of the overlay");
            }
            for (Map<String, Object> port : maps(service, "spec", "ports")) {
                Object target = port.getOrDefault("targetPort", port.get("port"));
                for (Map<String, Object> workload : selected) {
                    if (containerPort(workload, target).isEmpty()) {
                        problem(K8s.id(service) + ": targetPort " + target + " is no container port of " + K8s.id(workload));
                    }
                }
            }
        }
        for (Map<String, Object> ingress : K8s.ofKind(objects, "Ingress")) {
            for (Map<String, Object> rule : maps(ingress, "spec", "rules")) {
                for (Map<String, Object> path : maps(rule, "http", "paths")) {
                    String name = str(path, "backend", "service", "name");
                    Object port = Optional.ofNullable(at(path, "backend", "service", "port", "name"))
                            .orElse(at(path, "backend", "service", "port", "number"));
                    Optional<Map<String, Object>> service = K8s.find(objects, "Service", name);
                    if (service.isEmpty()) {
                        problem(K8s.id(ingress) + ": backend Service " + name + " is not in the overlay");
                    } else if (maps(service.get(), "spec", "ports").stream()
                            .noneMatch(p -> String.valueOf(port).equals(String.valueOf(p.get("name")))
                                    || String.valueOf(port).equals(String.valueOf(p.get("port"))))) {
                        problem(K8s.id(ingress) + ": backend port " + port + " is no port of Service " + name);
                    }
                }
            }
        }
        for (Map<String, Object> hpa : K8s.ofKind(objects, "HorizontalPodAutoscaler")) {
            String kind = str(hpa, "spec", "scaleTargetRef", "kind");
            String name = str(hpa, "spec", "scaleTargetRef", "name");
            Optional<Map<String, Object>> target = K8s.find(objects, kind, name);
            if (target.isEmpty()) {
                problem(K8s.id(hpa) + ": scale target " + kind + " " + name + " is not in the overlay");
            } else if (at(target.get(), "spec", "replicas") != null) {
                problem(K8s.id(target.get()) + ": sets spec.replicas although " + K8s.id(hpa)
                        + " owns them (every apply would reset the autoscaler)");
            }
        }
        for (Map<String, Object> pdb : K8s.ofKind(objects, "PodDisruptionBudget")) {
            Map<String, Object> selector = map(at(pdb, "spec", "selector", "matchLabels"));
            if (workloads().stream().noneMatch(w -> K8s.selects(selector, K8s.podLabels(w)))) {
                problem(K8s.id(pdb) + ": selector " + selector + " selects no pod of the overlay");
            }
        }
        for (Map<String, Object> set : K8s.ofKind(objects, "StatefulSet")) {
            String serviceName = str(set, "spec", "serviceName");
            if (serviceName != null && K8s.find(objects, "Service", serviceName).isEmpty()) {
                problem(K8s.id(set) + ": serviceName " + serviceName + " is no Service of the overlay");
            }
        }
    }

    private void secretKey(String where, String secret, String key) {
        Optional<Map<String, Object>> rendered = find("Secret", secret);
        if (rendered.isPresent()) {
            Map<String, Object> keys = new LinkedHashMap<>(map(rendered.get().get("data")));
            keys.putAll(map(rendered.get().get("stringData")));
            if (!keys.containsKey(key)) {
                problem(where + ": Secret " + secret + " has no key " + key);
            }
        } else if (!externalSecrets.keysBySecret().containsKey(secret)) {
            problem(where + ": Secret " + secret + " is neither in the overlay, nor made by an operator from it, nor created in docs/deploy.md");
        } else if (!externalSecrets.keysBySecret().get(secret).contains(key)) {
            problem(where + ": docs/deploy.md creates Secret " + secret + " without the key " + key);
        }
    }

    private Optional<Map<String, Object>> containerPort(Map<String, Object> workload, Object port) {
        for (Map<String, Object> container : K8s.containers(workload)) {
            for (Map<String, Object> p : maps(container, "ports")) {
                if (String.valueOf(port).equals(String.valueOf(p.get("name")))
                        || String.valueOf(port).equals(String.valueOf(p.get("containerPort")))) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private void serviceContainer(Map<String, Object> workload, Map<String, Object> container, AppModule service) {
        String id = K8s.id(workload) + " container " + container.get("name");
        environment(container).keySet().forEach(name -> service.unknownEnvironmentVariable(name)
                .ifPresent(reason -> problem(id + ": " + reason)));

        String image = String.valueOf(container.get("image"));
        if (!K8s.imageTag(image).equals(repo.projectVersion())) {
            problem(id + ": image " + image + " is not tagged with the project's version " + repo.projectVersion());
        }

        boolean job = List.of("Job", "CronJob").contains(K8s.kind(workload));
        int port = service.httpPort();
        List<Map<String, Object>> ports = maps(container, "ports");
        if (!job && ports.stream().noneMatch(p -> Objects.equals(p.get("containerPort"), port))) {
            problem(id + ": no containerPort " + port + " although " + service.artifactId() + " listens on "
                    + port + " (quarkus.http.port)");
        }
        for (Map<String, Object> p : ports) {
            if (!Objects.equals(p.get("containerPort"), port)) {
                problem(id + ": containerPort " + p.get("containerPort") + " but " + service.artifactId()
                        + " listens on " + port + " (quarkus.http.port)");
            }
        }
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> http = map(at(container, probe, "httpGet"));
            if (http.isEmpty()) {
                if (!job && !probe.equals("startupProbe") || !job && service.hasDependency("quarkus-smallrye-health")) {
                    problem(id + ": no HTTP " + probe);
                }
                continue;
            }
            Object probePort = http.get("port");
            Optional<Map<String, Object>> declared = containerPort(workload, probePort);
            if (declared.isEmpty() || !Objects.equals(declared.get().get("containerPort"), port)) {
                problem(id + ": " + probe + " port " + probePort + " is not the service's port " + port);
            }
            service.unservedPath(String.valueOf(http.get("path"))).ifPresent(reason -> problem(id + ": " + probe + " " + reason));
        }

        Object requests = at(container, "resources", "requests", "memory");
        Object limits = at(container, "resources", "limits", "memory");
        if (limits == null) {
            problem(id + ": no memory limit");
        } else if (!String.valueOf(limits).equals(String.valueOf(requests))) {
            problem(id + ": memory request " + requests + " differs from the limit " + limits
                    + " (the JVM sizes its heap from the limit)");
        }

        service.shutdownTimeout().ifPresent(timeout -> {
            long grace = at(K8s.podSpec(workload), "terminationGracePeriodSeconds") instanceof Integer g ? g : 30;
            long pause = preStopSleepSeconds(container);
            if (grace <= timeout.toSeconds() + pause) {
                problem(id + ": terminationGracePeriodSeconds " + grace + " is not longer than quarkus.shutdown.timeout ("
                        + timeout.toSeconds() + "s) plus the preStop pause (" + pause + "s)");
            }
        });
    }

    private static long preStopSleepSeconds(Map<String, Object> container) {
        List<Object> command = list(at(container, "lifecycle", "preStop", "exec", "command"));
        if (command.size() == 2 && "sleep".equals(command.get(0))) {
            return Long.parseLong(String.valueOf(command.get(1)));
        }
        Object seconds = at(container, "lifecycle", "preStop", "sleep", "seconds");
        return seconds instanceof Integer s ? s : 0;
    }

    private Map<String, Map<String, Object>> topicsByName() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> topic : K8s.ofKind(objects, "KafkaTopic")) {
            out.put(Optional.ofNullable(str(topic, "spec", "topicName")).orElse(K8s.name(topic)), topic);
        }
        return out;
    }

    private void topics() {
        AppModule processor = repo.service("stream-processor");
        AppModule ingest = repo.service("ingest-service");
        Map<String, Map<String, Object>> topics = topicsByName();
        TopicChecks.kafkaTopics(objects).forEach(this::problem);
        Map<String, String> configured = Map.of(
                "ual.processor.topics.raw", Topics.RAW,
                "ual.processor.topics.projection", Topics.PROJECTION,
                "ual.processor.topics.dead-letter", Topics.DEAD_LETTER);
        configured.forEach((property, name) -> processor.property(property).filter(v -> !v.equals(name))
                .ifPresent(v -> problem("stream-processor's " + property + "=" + v + " differs from Topics.java (" + name + ")")));
        ingest.property("mp.messaging.outgoing.ui-actions.topic").filter(v -> !v.equals(Topics.RAW))
                .ifPresent(v -> problem("ingest-service writes to " + v + ", not to " + Topics.RAW));
        processor.property("ual.processor.topics.partitions").filter(v -> !v.equals(String.valueOf(Topics.DEFAULT_PARTITIONS)))
                .ifPresent(v -> problem("stream-processor's ual.processor.topics.partitions=" + v + " differs from "
                        + "Topics.DEFAULT_PARTITIONS (" + Topics.DEFAULT_PARTITIONS + "), which the local run and the tests create"));

        String cluster = K8s.ofKind(objects, "Kafka").stream().map(K8s::name).findFirst().orElse(null);
        topics.forEach((name, topic) -> {
            if (!Objects.equals(str(topic, "metadata", "labels", "strimzi.io/cluster"), cluster)) {
                problem(K8s.id(topic) + ": label strimzi.io/cluster is not the Kafka cluster " + cluster);
            }
        });
        Map<String, Object> raw = topics.get(Topics.RAW);
        if (raw == null) {
            return;
        }
        int partitions = at(raw, "spec", "partitions") instanceof Integer p ? p : -1;
        for (Map<String, Object> workload : workloads()) {
            for (Map<String, Object> container : K8s.containers(workload)) {
                Optional<AppModule> service = serviceOf(container);
                if (service.isEmpty()) {
                    continue;
                }
                Map<String, EnvValue> env = environment(container);
                for (String variable : List.of("UAL_RAW_TOPIC", "UAL_PROCESSOR_TOPICS_RAW", "UAL_PROCESSOR_TOPICS_PROJECTION",
                        "UAL_PROCESSOR_TOPICS_DEAD_LETTER")) {
                    EnvValue value = env.get(variable);
                    if (value != null && !topics.containsKey(value.value())) {
                        problem(K8s.id(workload) + ": " + variable + "=" + value.value() + " names no KafkaTopic");
                    }
                }
                if (service.get().artifactId().equals("stream-processor")) {
                    EnvValue create = env.get("UAL_PROCESSOR_TOPICS_CREATE");
                    if (create == null || !"false".equals(create.value())) {
                        problem(K8s.id(workload) + ": UAL_PROCESSOR_TOPICS_CREATE must be false: the KafkaTopics own the topics");
                    }
                    if (K8s.kind(workload).equals("StatefulSet") || K8s.kind(workload).equals("Deployment")) {
                        int replicas = at(workload, "spec", "replicas") instanceof Integer r ? r : 1;
                        if (replicas > partitions) {
                            problem(K8s.id(workload) + ": " + replicas + " replicas but the raw topic has only "
                                    + partitions + " partitions (the rest would idle)");
                        }
                    }
                }
            }
        }
    }

    /** Replication never above the brokers; with three or more, acks=all survives one broker down. */
    private void kafkaCluster() {
        int brokers = brokers();
        for (Map<String, Object> kafka : K8s.ofKind(objects, "Kafka")) {
            Map<String, Object> config = map(at(kafka, "spec", "kafka", "config"));
            for (String rf : List.of("default.replication.factor", "offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor")) {
                int value = intValue(config.get(rf), -1);
                if (value < 1 || value > brokers) {
                    problem(K8s.id(kafka) + ": " + rf + "=" + config.get(rf) + " must be between 1 and the " + brokers + " brokers");
                }
            }
            if (!"false".equals(String.valueOf(config.get("auto.create.topics.enable")))) {
                problem(K8s.id(kafka) + ": auto.create.topics.enable must be false, so a misspelt topic fails");
            }
            int minIsr = intValue(config.get("min.insync.replicas"), 1);
            if (brokers >= 3 && (minIsr < 2 || intValue(config.get("transaction.state.log.min.isr"), 1) < 2)) {
                problem(K8s.id(kafka) + ": with " + brokers + " brokers min.insync.replicas and transaction.state.log.min.isr must be 2 or more");
            }
            for (Map<String, Object> topic : K8s.ofKind(objects, "KafkaTopic")) {
                int replicas = intValue(at(topic, "spec", "replicas"), -1);
                int topicMinIsr = intValue(at(topic, "spec", "config", "min.insync.replicas"), minIsr);
                if (replicas > brokers) {
                    problem(K8s.id(topic) + ": " + replicas + " replicas but only " + brokers + " brokers");
                }
                if (brokers >= 3 && (replicas < 3 || topicMinIsr < 2)) {
                    problem(K8s.id(topic) + ": with " + brokers + " brokers it needs 3 replicas and min.insync.replicas 2");
                }
                if (replicas > 1 && topicMinIsr >= replicas) {
                    problem(K8s.id(topic) + ": min.insync.replicas " + topicMinIsr + " leaves no broker to lose");
                }
            }
        }
    }

    private static int intValue(Object value, int otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(String.valueOf(value));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** Every host:port a service is pointed at is a Service (or Strimzi's bootstrap Service) of the overlay. */
    private void endpoints() {
        for (Map<String, Object> workload : workloads()) {
            for (Map<String, Object> container : K8s.containers(workload)) {
                if (serviceOf(container).isEmpty()) {
                    continue;
                }
                Map<String, EnvValue> env = environment(container);
                String id = K8s.id(workload);
                Optional.ofNullable(env.get("KAFKA_BOOTSTRAP_SERVERS")).map(EnvValue::value).ifPresent(v -> {
                    Set<String> bootstraps = new LinkedHashSet<>();
                    for (Map<String, Object> kafka : K8s.ofKind(objects, "Kafka")) {
                        for (Map<String, Object> listener : maps(kafka, "spec", "kafka", "listeners")) {
                            if ("internal".equals(listener.get("type"))) {
                                bootstraps.add(K8s.name(kafka) + "-kafka-bootstrap:" + listener.get("port"));
                            }
                        }
                    }
                    if (!bootstraps.contains(v)) {
                        problem(id + ": KAFKA_BOOTSTRAP_SERVERS=" + v + " is not a bootstrap address of the overlay's Kafka " + bootstraps);
                    }
                });
                Optional.ofNullable(env.get("QUARKUS_REDIS_HOSTS")).map(EnvValue::value)
                        .ifPresent(v -> hostPort(id, "QUARKUS_REDIS_HOSTS", v, "^redis://([^:/]+):(\\d+)"));
                Optional.ofNullable(env.get("QUARKUS_DATASOURCE_JDBC_URL")).map(EnvValue::value)
                        .ifPresent(v -> hostPort(id, "QUARKUS_DATASOURCE_JDBC_URL", v, "^jdbc:postgresql://([^:/]+):(\\d+)/"));
            }
        }
    }

    private void hostPort(String id, String variable, String value, String regex) {
        Matcher m = Pattern.compile(regex).matcher(value);
        if (!m.find()) {
            problem(id + ": " + variable + "=" + value + " has no host:port");
            return;
        }
        Optional<Map<String, Object>> service = find("Service", m.group(1));
        if (service.isEmpty() || maps(service.get(), "spec", "ports").stream()
                .noneMatch(p -> m.group(2).equals(String.valueOf(p.get("port"))))) {
            problem(id + ": " + variable + " points at " + m.group(1) + ":" + m.group(2) + ", no Service port of the overlay");
        }
    }

    /** The example study posts to the ingest Ingress, from an origin the ingest service allows, with the same key. */
    private void studyWiring() {
        Optional<Map<String, Object>> study = K8s.find(objects, "Deployment", "ual-study-app");
        Optional<Map<String, Object>> ingest = K8s.find(objects, "Deployment", "ual-ingest");
        if (study.isEmpty() || ingest.isEmpty()) {
            return;
        }
        String ingestUrl = ingressUrl("ual-ingest");
        String studyOrigin = ingressUrl("ual-study-app");
        Map<String, EnvValue> studyEnv = environment(K8s.containers(study.get()).get(0));
        Map<String, EnvValue> ingestEnv = environment(K8s.containers(ingest.get()).get(0));
        String expectedUrl = ingestUrl + "/v1/batches";
        String actualUrl = Optional.ofNullable(studyEnv.get("UAL_STUDY_INGEST_URL")).map(EnvValue::value).orElse(null);
        if (!expectedUrl.equals(actualUrl)) {
            problem("study-app's UAL_STUDY_INGEST_URL=" + actualUrl + " is not the ingest Ingress " + expectedUrl);
        }
        String studyName = repo.service("study-app").property("ual.study.name").orElse("demo").toUpperCase();
        String originsVariable = "UAL_INGEST_ACCESS_STUDIES__" + studyName + "__ORIGINS";
        String origins = Optional.ofNullable(ingestEnv.get(originsVariable)).map(EnvValue::value).orElse("");
        if (!List.of(origins.split(",")).contains(studyOrigin)) {
            problem("ingest-service's " + originsVariable + "=" + origins + " does not allow the study's origin " + studyOrigin);
        }
        EnvValue studyKey = studyEnv.get("UAL_STUDY_WRITE_KEY");
        EnvValue ingestKey = ingestEnv.get("UAL_INGEST_ACCESS_STUDIES__" + studyName + "__WRITE_KEY");
        if (studyKey == null || !studyKey.equals(ingestKey)) {
            problem("study-app's UAL_STUDY_WRITE_KEY " + studyKey + " is not the ingest service's key of the study " + ingestKey);
        }
    }

    private static List<Map<String, Object>> withoutKafkaUser(Map<String, Object> container) {
        return maps(container, "env").stream().filter(e -> !"KAFKA_SASL_JAAS_CONFIG".equals(e.get("name"))).toList();
    }

    private String ingressUrl(String name) {
        Map<String, Object> ingress = K8s.find(objects, "Ingress", name).orElse(Map.of());
        String host = str(ingress, "spec", "rules") == null ? null : str(maps(ingress, "spec", "rules").get(0), "host");
        boolean tls = maps(ingress, "spec", "tls").stream().anyMatch(t -> list(t.get("hosts")).contains(host));
        return (tls ? "https://" : "http://") + host;
    }

    /** The replay template: never runs by itself, runs the processor's image with the processor's configuration. */
    private void replay() {
        Optional<Map<String, Object>> cron = K8s.find(objects, "CronJob", "ual-replay");
        Optional<Map<String, Object>> processor = K8s.find(objects, "StatefulSet", "ual-processor");
        if (cron.isEmpty() || processor.isEmpty()) {
            problem("the replay template (CronJob ual-replay) or the processor (StatefulSet ual-processor) is missing");
            return;
        }
        if (!Boolean.TRUE.equals(at(cron.get(), "spec", "suspend"))) {
            problem("CronJob ual-replay must be suspended: a deploy must never start a replay");
        }
        Map<String, Object> replay = K8s.containers(cron.get()).get(0);
        Map<String, Object> running = K8s.containers(processor.get()).get(0);
        if (!Objects.equals(replay.get("image"), running.get("image"))) {
            problem("CronJob ual-replay runs " + replay.get("image") + ", the processor " + running.get("image"));
        }
        List<String> args = list(replay.get("args")).stream().map(String::valueOf).toList();
        if (args.isEmpty()) {
            problem("CronJob ual-replay runs the processor itself, not its replay command: args are empty");
        }
        repo.service("stream-processor").unknownCommand(args)
                .ifPresent(reason -> problem("CronJob ual-replay " + reason));
        if (!Objects.equals(replay.get("envFrom"), running.get("envFrom"))
                || !Objects.equals(withoutKafkaUser(replay), withoutKafkaUser(running))) {
            problem("CronJob ual-replay's environment differs from the processor's (beyond its own Kafka user)");
        }
    }
}

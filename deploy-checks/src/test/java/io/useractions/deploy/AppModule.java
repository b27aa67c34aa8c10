package io.useractions.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.useractions.model.KafkaSettings;

/**
 * What one service module really offers a deployment, read from its sources: the HTTP port, the
 * configuration properties (application.properties and its @ConfigMapping interfaces), the environment
 * variables it reads directly, the paths that answer a probe, and its Dockerfile.
 */
public final class AppModule {
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)(?::[^}]*)?}");
    private static final Pattern COMMAND_NAME = Pattern.compile("String NAME = \"([a-z-]+)\"");
    private static final Pattern DOCKERFILE_VARIABLE = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*)");
    private static final List<String> HEALTH_PATHS =
            List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/health/started");

    private final Repo repo;
    private final String artifactId;
    private final Path dir;
    private final Map<String, String> properties;
    private Set<String> propertyPatterns;
    private Set<String> directEnvironmentVariables;

    AppModule(Repo repo, String artifactId) {
        this.repo = repo;
        this.artifactId = artifactId;
        this.dir = repo.path(artifactId);
        this.properties = loadProperties(dir.resolve("src/main/resources/application.properties"));
    }

    public String artifactId() {
        return artifactId;
    }

    public Path dir() {
        return dir;
    }

    /** application.properties without profile-specific (%test. ...) entries. */
    public Map<String, String> properties() {
        return properties;
    }

    /** A property's value, with a ${ENV:default} reference resolved to its default. */
    public Optional<String> property(String name) {
        String value = properties.get(name);
        if (value == null) {
            return Optional.empty();
        }
        Matcher reference = Pattern.compile("^\\$\\{[^:}]+:([^}]*)}$").matcher(value);
        return Optional.of(reference.matches() ? reference.group(1) : value);
    }

    public int httpPort() {
        return Integer.parseInt(property("quarkus.http.port").orElse("8080"));
    }

    public Optional<Duration> shutdownTimeout() {
        return property("quarkus.shutdown.timeout").map(AppModule::duration);
    }

    /** Every property name the service knows: '*' stands for one map key (e.g. a study's name). */
    public synchronized Set<String> propertyPatterns() {
        if (propertyPatterns == null) {
            Set<String> all = new LinkedHashSet<>(properties.keySet());
            all.addAll(ConfigMappings.propertyPatterns(dir.resolve("src/main/java"), repo.path("model/src/main/java")));
            all.addAll(FrameworkProperties.forService(artifactId));
            if (usesKafka()) {
                // the SmallRye channels take every kafka.* property, the clients the services build these
                KafkaSettings.NAMES.forEach(name -> all.add("kafka." + name));
            }
            propertyPatterns = all;
        }
        return propertyPatterns;
    }

    /** Whether the service is a Kafka client: it sets the shared kafka.bootstrap.servers (KafkaSettings). */
    public boolean usesKafka() {
        return properties.containsKey("kafka.bootstrap.servers");
    }

    public boolean usesDatabase() {
        return properties.containsKey("quarkus.datasource.jdbc.url");
    }

    public boolean usesRedis() {
        return properties.containsKey("quarkus.redis.hosts");
    }

    /**
     * A property's value in a container with this environment: the variable that maps to the property,
     * else the variable its ${NAME:default} names, else its default.
     */
    public Optional<String> setting(String property, Map<String, String> environment) {
        String direct = environment.get(environmentName(property));
        if (direct != null) {
            return Optional.of(direct);
        }
        Matcher reference = Pattern.compile("^\\$\\{([^:}]+):([^}]*)}$").matcher(properties.getOrDefault(property, ""));
        if (reference.matches() && environment.containsKey(reference.group(1))) {
            return Optional.of(environment.get(reference.group(1)));
        }
        return property(property);
    }

    /** The environment variable MicroProfile Config maps to a property: upper case, every other character '_'. */
    static String environmentName(String property) {
        return property.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * The commands the app's main accepts as its arguments: the {@code NAME} of each class that
     * implements {@code QuarkusApplication}. Empty arguments run the service itself.
     */
    public Set<String> commands() {
        Set<String> commands = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(dir.resolve("src/main/java"))) {
            files.filter(f -> f.toString().endsWith(".java")).map(Repo::read)
                    .filter(source -> source.contains("implements QuarkusApplication"))
                    .forEach(source -> {
                        Matcher name = COMMAND_NAME.matcher(source);
                        if (name.find()) {
                            commands.add(name.group(1));
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return commands;
    }

    /** Why {@code args} are not a command of this app, or empty when they are one (or none). */
    public Optional<String> unknownCommand(List<String> args) {
        if (args.isEmpty() || (args.size() == 1 && commands().contains(args.get(0)))) {
            return Optional.empty();
        }
        return Optional.of("runs " + artifactId + " with " + args + ", which is no command of it (commands: "
                + commands() + ")");
    }

    /** Environment variables read as such: ${NAME:...} in application.properties and $NAME in the Dockerfile. */
    public synchronized Set<String> directEnvironmentVariables() {
        if (directEnvironmentVariables != null) {
            return directEnvironmentVariables;
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher m = ENV_REFERENCE.matcher(Repo.read(dir.resolve("src/main/resources/application.properties")));
        while (m.find()) {
            names.add(m.group(1));
        }
        Matcher d = DOCKERFILE_VARIABLE.matcher(dockerfileInstructions("ENTRYPOINT"));
        while (d.find()) {
            names.add(d.group(1));
        }
        directEnvironmentVariables = Collections.unmodifiableSet(names);
        return directEnvironmentVariables;
    }

    /**
     * Why an environment variable means nothing to this service, or empty when it maps to a property
     * (MicroProfile Config's rule: upper case, every other character '_'; a map key as _KEY_ or KEY).
     */
    public Optional<String> unknownEnvironmentVariable(String name) {
        if (directEnvironmentVariables().contains(name)) {
            return Optional.empty();
        }
        for (String pattern : propertyPatterns()) {
            if (envRegex(pattern).matcher(name).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(name + " maps to no configuration property of " + artifactId);
    }

    static Pattern envRegex(String propertyPattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < propertyPattern.length(); i++) {
            char c = propertyPattern.charAt(i);
            if (c == '*') {
                regex.append("(?:_[A-Z0-9_]+_|[A-Z0-9]+)");
            } else if (Character.isLetterOrDigit(c)) {
                regex.append(Character.toUpperCase(c));
            } else {
                regex.append('_');
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Why a probe path would not answer, or empty when the service serves it. */
    public Optional<String> unservedPath(String path) {
        if (HEALTH_PATHS.contains(path)) {
            return hasDependency("quarkus-smallrye-health") ? Optional.empty()
                    : Optional.of(path + ": " + artifactId + " has no quarkus-smallrye-health");
        }
        if (path.equals("/")) {
            return Files.isRegularFile(dir.resolve("src/main/resources/META-INF/resources/index.html"))
                    ? Optional.empty()
                    : Optional.of("/: " + artifactId + " has no META-INF/resources/index.html");
        }
        return Optional.of(path + " is not a health path (" + HEALTH_PATHS + ") nor the index page of " + artifactId);
    }

    public boolean hasDependency(String artifact) {
        return Repo.read(dir.resolve("pom.xml")).contains("<artifactId>" + artifact + "</artifactId>");
    }

    public Path dockerfile() {
        return dir.resolve("src/main/docker/Dockerfile.jvm");
    }

    /** The text of every instruction of this kind in the Dockerfile. */
    public String dockerfileInstructions(String instruction) {
        if (!Files.isRegularFile(dockerfile())) {
            return "";
        }
        String joined = Repo.read(dockerfile()).replace("\\\n", " ");
        StringBuilder out = new StringBuilder();
        for (String line : joined.split("\n")) {
            if (line.startsWith(instruction + " ")) {
                out.append(line.substring(instruction.length() + 1)).append('\n');
            }
        }
        return out.toString();
    }

    /** The image repository the build tags: ual/ARTIFACT (docs/deploy.md, docker-compose.yml). */
    public String imageRepository() {
        return "ual/" + artifactId;
    }

    static Duration duration(String text) {
        Matcher m = Pattern.compile("^(\\d+)(ms|s|m|h)?$").matcher(text.trim());
        if (!m.matches()) {
            return Duration.parse(text.trim().toUpperCase().startsWith("P") ? text.trim() : "PT" + text.trim());
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static Map<String, String> loadProperties(Path file) {
        Properties raw = new Properties();
        try {
            raw.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        raw.stringPropertyNames().stream().sorted()
                .filter(name -> !name.startsWith("%"))
                .forEach(name -> out.put(name, raw.getProperty(name)));
        return out;
    }

    static Stream<Path> javaFiles(Path sources) {
        try {
            return Files.walk(sources).filter(p -> p.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

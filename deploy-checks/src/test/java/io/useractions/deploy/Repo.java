package io.useractions.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's files that the checks compare: the root pom, the services' modules, compose and deploy/. */
public final class Repo {
    /** The modules that become container images, by artifactId (= module directory). */
    public static final List<String> SERVICES = List.of("ingest-service", "stream-processor", "study-app", "console");

    private final Path root;
    private final java.util.Map<String, AppModule> services = new java.util.concurrent.ConcurrentHashMap<>();

    private Repo(Path root) {
        this.root = root;
    }

    /** The repository this module belongs to: Maven's project directory, or the parent of the working directory. */
    public static Repo find() {
        String configured = System.getProperty("ual.repo.root");
        Path start = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("deploy"))) {
                return new Repo(dir);
            }
        }
        throw new IllegalStateException("no repository root (docker-compose.yml and deploy/) above " + start);
    }

    public Path root() {
        return root;
    }

    public Path path(String relative) {
        return root.resolve(relative);
    }

    public String read(String relative) {
        return read(path(relative));
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project's version (the images' tag). */
    public String projectVersion() {
        return firstGroup(read("pom.xml"), "<artifactId>user-actions-logging</artifactId>\\s*<version>([^<]+)</version>");
    }

    /** A property of the root pom, e.g. kafka.version. */
    public String rootPomProperty(String name) {
        return firstGroup(read("pom.xml"), "<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">");
    }

    public AppModule service(String artifactId) {
        if (!SERVICES.contains(artifactId)) {
            throw new IllegalArgumentException("not a service module: " + artifactId);
        }
        return services.computeIfAbsent(artifactId, a -> new AppModule(this, a));
    }

    static String firstGroup(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("not found: " + regex);
        }
        return m.group(1).trim();
    }
}

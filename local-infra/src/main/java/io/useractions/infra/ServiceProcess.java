package io.useractions.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus app ({@code java -jar quarkus-run.jar}) run as a child process, with its output
 * appended to a log file. It can be started again after stop() or kill().
 */
public final class ServiceProcess extends ChildProcess {

    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(120);

    private final ServiceSpec spec;
    private final String host;
    private final Map<String, String> env;
    private final List<String> jvmArgs;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private ServiceProcess(Builder builder) {
        this.spec = builder.spec;
        this.host = builder.host;
        this.env = Map.copyOf(builder.env);
        this.jvmArgs = List.copyOf(builder.jvmArgs);
        this.logFile = (builder.logFile != null ? builder.logFile : Path.of("target", spec.name() + ".log"))
                .toAbsolutePath().normalize();
    }

    public static Builder builder(ServiceSpec spec) {
        return new Builder(spec);
    }

    /** Launches the app without waiting for it; see {@link #waitReady(Duration)}. */
    public synchronized ServiceProcess start() {
        if (isRunning()) {
            return this;
        }
        if (!Files.isRegularFile(spec.jar())) {
            throw new IllegalStateException(spec.name() + ": " + spec.jar()
                    + " does not exist; package the apps first (mvn -B package -DskipTests)");
        }
        Ports.requireFree(spec.port(), spec.name());
        Processes.createDirectories(logFile.getParent());
        appendToLog(startMarker() + " at " + Instant.now() + " ====\n");

        ProcessBuilder builder = javaJar(List.of());
        builder.environment().put("QUARKUS_HTTP_HOST", host);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(spec.port()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + spec.name(), e);
        }
        return this;
    }

    /**
     * Runs the app's jar once with {@code args} (a command such as {@code replay}) and waits for it to
     * exit, its output appended to the log. Returns that output; fails with it on a non-zero exit or
     * when the command outlives {@code timeout}.
     */
    public String runCommand(List<String> args, Duration timeout) {
        Processes.createDirectories(logFile.getParent());
        String marker = "==== " + spec.name() + " " + String.join(" ", args) + " at " + Instant.now() + " ====\n";
        appendToLog(marker);
        ProcessBuilder builder = javaJar(args);
        Process run;
        try {
            run = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + spec.name() + " " + args, e);
        }
        // Held as the running process while it runs, so that stop() and kill() end it too.
        synchronized (this) {
            process = run;
        }
        try {
            if (!run.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Processes.kill(run);
                throw new IllegalStateException(spec.name() + " " + args + " did not finish within "
                        + timeout.toSeconds() + " s; tail of " + logFile + ":\n" + Processes.tail(logFile, 40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + spec.name() + " " + args, e);
        } finally {
            synchronized (this) {
                if (process == run) {
                    process = null;
                }
            }
        }
        String log;
        try {
            log = Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logFile, e);
        }
        String output = log.substring(log.lastIndexOf(marker) + marker.length());
        if (run.exitValue() != 0) {
            throw new IllegalStateException(spec.name() + " " + args + " exited with code " + run.exitValue()
                    + ":\n" + output);
        }
        return output;
    }

    /** {@code java <jvm args> -jar <the app's jar> <args>} in its own session, with the app's environment and log. */
    private ProcessBuilder javaJar(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Processes.javaExecutable());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(spec.jar().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(Processes.inOwnSession(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        return builder;
    }

    /** Polls the health path until it answers 200; fails with the tail of the log if the app exits or is late. */
    public ServiceProcess waitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(healthUri()).timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            Process current = currentProcess();
            if (current == null || !current.isAlive()) {
                String exit = current == null ? "is not running" : "exited with code " + current.exitValue();
                throw new IllegalStateException(spec.name() + " " + exit + " before it was ready; tail of "
                        + logFile + ":\n" + logTail(40));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + spec.name(), e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(spec.name() + " did not answer 200 on " + healthUri() + " within "
                        + timeout.toSeconds() + " s; tail of " + logFile + ":\n" + logTail(40));
            }
            Processes.sleep(Duration.ofMillis(250));
        }
    }

    public ServiceProcess waitReady() {
        return waitReady(DEFAULT_READY_TIMEOUT);
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(spec.name() + " is not running");
        }
        return process.pid();
    }

    public ServiceSpec spec() {
        return spec;
    }

    /** http://host:port of the app, with a wildcard bind address replaced by loopback. */
    public String url() {
        return "http://" + probeHost() + ":" + spec.port();
    }

    public URI healthUri() {
        return URI.create(url() + spec.healthPath());
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines the app wrote since it was last started. */
    public String logTail(int lines) {
        String tail = Processes.tail(logFile, lines);
        int lastStart = tail.lastIndexOf(startMarker());
        return lastStart < 0 ? tail : tail.substring(lastStart);
    }

    private String startMarker() {
        return "==== " + spec.name() + " starting";
    }

    private synchronized Process currentProcess() {
        return process;
    }

    private String probeHost() {
        return "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
    }

    private void appendToLog(String text) {
        try {
            Files.writeString(logFile, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + logFile, e);
        }
    }

    public static final class Builder {
        private final ServiceSpec spec;
        private String host = "127.0.0.1";
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private Path logFile;

        private Builder(ServiceSpec spec) {
            this.spec = spec;
        }

        /** Becomes QUARKUS_HTTP_HOST. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Added to the environment inherited from this JVM. */
        public Builder env(Map<String, String> env) {
            this.env.putAll(env);
            return this;
        }

        public Builder env(String name, String value) {
            this.env.put(name, value);
            return this;
        }

        public Builder jvmArgs(List<String> jvmArgs) {
            this.jvmArgs.addAll(jvmArgs);
            return this;
        }

        /** Defaults to target/&lt;name&gt;.log. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public ServiceProcess build() {
            return new ServiceProcess(this);
        }
    }
}

package io.useractions.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.useractions.infra.Ports;
import io.useractions.model.corpus.SampleBatches;
import io.useractions.testing.AdminLogin;
import io.useractions.testing.Queries;

/**
 * The README's quick start as a newcomer runs it: its first command, exactly as written, from the
 * repository root, brings up the pipeline on the addresses the README shows; a batch becomes a row in the
 * database it printed; Ctrl-C stops everything and frees every port. The second command runs the tests,
 * this one among them, so it is only read here.
 */
class QuickStartIT {
    private static final Path HOME = TestPipeline.HOME;
    /**
     * What `./ual run` listens on when no UAL_*_PORT is set, as the README shows it. The README's command
     * sets none, so the test cannot move them: they must be free.
     */
    private static final Map<String, Integer> PORTS = new TreeMap<>(Map.of(
            "ingest service", 8080, "stream processor", 8081, "study app", 8090, "console", 8070,
            "Kafka", 9092, "Kafka controller", 9093, "PostgreSQL", 5432, "Redis", 6379));
    /** The README's local-development admin credential, for the console's page. */
    private static final String ADMIN = AdminLogin.basicAuthorization();
    private static final Pattern DATABASE = Pattern.compile(
            "PostgreSQL\\s+(jdbc:postgresql://\\S+)\\s*\\n\\s*user (\\S+), password (\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StringBuffer output = new StringBuffer();
    private Process run;
    private Thread reader;
    private BuildStamp stamp;

    @BeforeEach
    void markTheAppsBuilt() throws IOException {
        stamp = BuildStamp.markBuilt();
    }

    @AfterEach
    void stopWhatIsLeftAndRestoreTheStamp() throws Exception {
        try {
            if (run != null && run.isAlive()) {
                List<ProcessHandle> children = run.descendants().toList();
                signalGroup("INT");
                if (!run.waitFor(60, TimeUnit.SECONDS)) {
                    signalGroup("KILL");
                }
                children.forEach(ProcessHandle::destroyForcibly);
            }
        } finally {
            stamp.close();
        }
    }

    @Test
    void theFirstCommandRunsThePipelineAndCtrlCStopsIt() throws Exception {
        String command = QuickStart.commands(Files.readString(HOME.resolve("README.md"))).get(0);
        assertEquals(List.of(), busyPorts(), "'" + command + "' runs on fixed ports and these are in use"
                + " (is a ./ual run or a benchmark running on this machine?)");

        start(command);
        await("'" + command + "' to say that it is running").atMost(Duration.ofMinutes(3)).until(() -> {
            if (output.indexOf("Building the apps") >= 0) {
                throw new AssertionError("'" + command + "' started a Maven build: a jar it runs is missing or older"
                        + " than the sources (apps_stale in ual); build them before this test (./ual build)");
            }
            if (!run.isAlive()) {
                throw new AssertionError("'" + command + "' exited with " + run.exitValue() + ":\n" + output);
            }
            return output.indexOf("Press Ctrl-C to stop") >= 0;
        });
        String summary = output.toString();
        for (String address : List.of("POST http://127.0.0.1:8080/v1/batches", "http://127.0.0.1:8090/",
                "http://127.0.0.1:8070/?study=demo")) {
            assertTrue(summary.contains(address), "'" + command + "' prints " + address + ":\n" + summary);
        }
        Matcher database = DATABASE.matcher(summary);
        assertTrue(database.find(), "'" + command + "' prints the JDBC URL, user and password:\n" + summary);

        assertEquals(200, get("http://127.0.0.1:8080/q/health/ready", null).statusCode(), "the ingest service is ready");
        HttpResponse<String> study = get("http://127.0.0.1:8090/", null);
        assertEquals(200, study.statusCode(), "the study app's page");
        assertTrue(study.body().contains("UserLogger.js"), "the study page loads the logger:\n" + study.body());
        assertEquals(200, get("http://127.0.0.1:8070/?study=demo", ADMIN).statusCode(), "the console's page");

        String session = "quick-start-" + UUID.randomUUID();
        UUID action = UUID.randomUUID();
        HttpResponse<String> answer = post("http://127.0.0.1:8080/v1/batches?key=" + SampleBatches.KEY,
                SampleBatches.batch(session, List.of(action)));
        assertEquals(202, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"accepted\":1"), answer.body());
        try (Connection db = DriverManager.getConnection(database.group(1), database.group(2), database.group(3))) {
            await("the batch's row in ui_action").atMost(Duration.ofSeconds(30)).until(() -> rowsOf(db, action) == 1);
        }

        List<ProcessHandle> children = run.descendants().toList();
        signalGroup("INT");
        assertTrue(run.waitFor(90, TimeUnit.SECONDS), "'" + command + "' still runs 90 s after Ctrl-C:\n" + output);
        reader.join(5_000);
        assertTrue(output.indexOf("Stopped.") >= 0, "'" + command + "' says it stopped:\n" + output);
        assertFalse(output.indexOf("Could not stop") >= 0, output.toString());
        assertEquals(List.of(), children.stream().filter(ProcessHandle::isAlive)
                .map(child -> child.pid() + " " + child.info().commandLine().orElse("")).toList(),
                "processes of '" + command + "' still alive after it stopped");
        assertEquals(List.of(), busyPorts(), "ports still in use after '" + command + "' stopped");
    }

    /**
     * In a process group of its own, as a terminal runs a foreground command, so a Ctrl-C can be sent to the
     * group. The data directory moves under target/ (the README names UAL_DATA_DIR), so a developer's ./data
     * stays untouched and every run starts as on a fresh machine; settings of the surrounding shell that
     * would change the addresses are dropped.
     */
    private void start(String command) throws IOException {
        Path dataDir = HOME.resolve("e2e-tests").resolve("target")
                .resolve("quick-start-" + UUID.randomUUID().toString().substring(0, 8));
        // As from a terminal: a job started in the background by a non-interactive shell (CI launched
        // with `... &`) inherits SIGINT ignored, and a JVM that starts with it ignored never runs its
        // shutdown hooks on Ctrl-C; env puts back the default a terminal gives.
        ProcessBuilder builder = new ProcessBuilder("setsid", "env", "--default-signal=INT", "bash", "-c", command)
                .directory(HOME.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("UAL_") || name.startsWith("QUARKUS_")
                || name.startsWith("KAFKA_"));
        builder.environment().put("UAL_DATA_DIR", dataDir.toString());
        run = builder.start();
        reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                    System.out.println("./ual run | " + line);
                }
            } catch (IOException e) {
                output.append("(reading the output failed: ").append(e).append(")\n");
            }
        }, "quick-start-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** What a Ctrl-C in the terminal does: the signal to the foreground process group. */
    private void signalGroup(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + run.pid()).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " -" + run.pid());
    }

    private static List<String> busyPorts() {
        return PORTS.entrySet().stream().filter(port -> !Ports.isFree(port.getValue()))
                .map(port -> port.getKey() + " " + port.getValue()).toList();
    }

    private static long rowsOf(Connection db, UUID action) {
        return Queries.count(db, "select count(*) from ui_action where id = ?", action);
    }

    private static HttpResponse<String> get(String url, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private static HttpResponse<String> post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.uri() + " does not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.useractions.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A participant in Chromium going through the study app ({@code src/test/js/study-session.mjs}) as a process:
 * its EVENT lines, and a way to answer "continue" where the script waits (mode {@code outage}, and in both
 * modes once the page has closed, before the browser goes).
 */
final class BrowserScript implements AutoCloseable {
    private static final Path SCRIPT = TestPipeline.HOME.resolve("e2e-tests/src/test/js/study-session.mjs");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    /** Starts the script in {@code mode} ({@code run} or {@code outage}) for {@code participant}. */
    BrowserScript(TestPipeline pipeline, String mode, String participant, int pathPoints) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("node", SCRIPT.toString(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("STUDY_URL", pipeline.studyApp().url() + "/");
        builder.environment().put("PARTICIPANT", participant);
        builder.environment().put("PATH_POINTS", Integer.toString(pathPoints));
        process = builder.start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Reads events until one has {@code field}; returns it. */
    JsonNode until(String field) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            System.out.println("browser: " + (line.length() > 300 ? line.substring(0, 300) + "..." : line));
            if (line.startsWith("EVENT ")) {
                JsonNode event = JSON.readTree(line.substring(6));
                if (event.has(field)) {
                    return event;
                }
            }
        }
        throw new AssertionError("the browser script ended before reporting " + field);
    }

    JsonNode phase(String name) throws IOException {
        JsonNode event = until("phase");
        assertEquals(name, event.get("phase").asText());
        return event;
    }

    void proceed() throws IOException {
        in.write("continue\n");
        in.flush();
    }

    /**
     * Once the page has closed, waits until {@code arrived} holds (the rows of its page-close flush are
     * stored) with the browser still there, since closing it could cancel the request; then lets it go.
     * Returns the milliseconds from the page's close to the rows.
     */
    long finishOnce(String what, Callable<Boolean> arrived) throws IOException {
        phase("closed");
        long closed = System.nanoTime();
        await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(25)).until(arrived);
        long millis = Duration.ofNanos(System.nanoTime() - closed).toMillis();
        proceed();
        phase("finished");
        return millis;
    }

    /** Once the page has closed, lets the browser go without waiting for anything of its page-close flush. */
    void finish() throws IOException {
        phase("closed");
        proceed();
        phase("finished");
    }

    @Override
    public void close() throws InterruptedException, IOException {
        in.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the browser script did not end");
        }
        assertEquals(0, process.exitValue(), "the browser script failed");
    }
}

package io.useractions.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.useractions.research.csv.CsvReader;
import io.useractions.research.export.ExportFilter;
import io.useractions.research.export.ExportRequest;
import io.useractions.research.export.Exporter;
import io.useractions.research.export.ProgressListener;
import io.useractions.research.heatmap.ColourScale;
import io.useractions.research.heatmap.HeatmapPng;
import io.useractions.research.trajectory.Measures;
import io.useractions.research.trajectory.Preparation;
import io.useractions.research.trajectory.Trajectory;
import io.useractions.testing.AdminLogin;

/**
 * A real Chromium (Debian's, driven by playwright-core) through the study app against the running
 * pipeline ({@link SharedPipeline}: the study app's two trials, an 8 s trial timeout); PostgreSQL must then
 * hold exactly what the browser did. Never skipped: a missing browser fails the test. The demo study is
 * shared with {@link WithdrawalIT}'s browsers; this suite's participants are its own ({@link #PARTICIPANTS}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedPipeline.class)
class StudyBrowserIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PATH_POINTS = 120;
    /** Every participant this suite's browsers play (console-quality.mjs has the quality and heat ones). */
    private static final Set<String> PARTICIPANTS = Set.of("browser-run-1", "browser-export-1", "browser-outage-1",
            "quality-1", "quality-2", "quality-3", "heat-1");

    private static TestPipeline pipeline;

    @BeforeAll
    static void start() {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertTrue(Files.isExecutable(Path.of(chromium)), chromium + " is missing: ./ual test installs Debian's chromium");
        pipeline = SharedPipeline.pipeline();
    }

    /** The rows of this suite's participants. */
    private static List<Map<String, String>> ours(List<Map<String, String>> rows) {
        return rows.stream().filter(row -> PARTICIPANTS.contains(row.get("participant"))).toList();
    }

    private List<Map<String, Object>> pointerMoves(String session) {
        return pipeline.rows("""
                select seq, x, y, page_x, page_y, screen_x, screen_y, client_time, t_mono from mouse_position
                 where session_id = ? and type = 'pointermove' order by seq""", session);
    }

    /** The moves of a trial: pointermove rows after its trial:start action and before the next pointerdown. */
    private List<Map<String, Object>> trialMoves(String session, int trial) {
        return pipeline.rows("""
                select m.seq, m.x, m.y, m.client_time, m.t_mono from mouse_position m
                 where m.session_id = ? and m.type = 'pointermove'
                   and m.seq > (select seq from ui_action where session_id = ? and type = 'trial:start'
                                 and (data ->> 'trial')::int = ?)
                   and m.seq < (select min(seq) from ui_action where session_id = ? and type = 'pointerdown'
                                 and seq > (select seq from ui_action where session_id = ? and type = 'trial:start'
                                             and (data ->> 'trial')::int = ?))
                 order by m.seq""", session, session, trial, session, session, trial);
    }

    private static void assertPathArrivedPointForPoint(JsonNode path, List<Map<String, Object>> moves) {
        assertEquals(path.size(), moves.size(), "one mouse_position row per pointer event of the path");
        double lastTime = -1;
        long lastClient = Long.MIN_VALUE;
        for (int i = 0; i < path.size(); i++) {
            Map<String, Object> row = moves.get(i);
            assertEquals(path.get(i).get("x").asDouble(), ((Number) row.get("x")).doubleValue(), "x of point " + i);
            assertEquals(path.get(i).get("y").asDouble(), ((Number) row.get("y")).doubleValue(), "y of point " + i);
            double mono = ((Number) row.get("t_mono")).doubleValue();
            long client = ((java.sql.Timestamp) row.get("client_time")).getTime();
            assertTrue(mono > lastTime, "t_mono increases along the path at point " + i);
            assertTrue(client >= lastClient, "client time never goes back at point " + i);
            lastTime = mono;
            lastClient = client;
        }
    }

    private void assertSequenceContiguous(String session) {
        long rows = pipeline.query("select count(*) from ui_action where session_id = ?", session);
        long distinct = pipeline.query("select count(distinct seq) from ui_action where session_id = ?", session);
        long min = pipeline.query("select min(seq) from ui_action where session_id = ?", session);
        long max = pipeline.query("select max(seq) from ui_action where session_id = ?", session);
        assertEquals(rows, distinct, "no sequence number twice");
        assertEquals(1, min, "sequence starts at 1");
        assertEquals(rows, max, "sequence numbers are contiguous");
    }

    @Test
    void aParticipantsSessionArrivesPointForPointWithoutTypedText() throws Exception {
        JsonNode path;
        JsonNode closing;
        String session;
        try (BrowserScript browser = new BrowserScript(pipeline, "run", "browser-run-1", PATH_POINTS)) {
            session = browser.until("session").get("session").asText();
            path = browser.until("path").get("path");
            closing = browser.until("typed");
            String lastMarker = "select count(*) from ui_action where session_id = ? and type = 'closing'";
            long visible = browser.finishOnce("the actions sent on page close",
                    () -> pipeline.query(lastMarker, session) == 1 && pipeline.query(
                            "select count(*) from ui_action where session_id = ? and type = 'page_unload'", session) == 1);
            System.out.printf("browser e2e: page-close actions visible %d ms after the page closed%n", visible);
        }
        // Nothing more may arrive (a duplicate, a late copy): a second in which nothing happens.
        Thread.sleep(1000);

        assertEquals(PATH_POINTS, path.size());
        assertPathArrivedPointForPoint(path, trialMoves(session, 1));
        List<Map<String, Object>> all = pointerMoves(session);
        JsonNode lastMoves = closing.get("closingMoves");
        List<Map<String, Object>> tail = all.subList(all.size() - lastMoves.size(), all.size());
        assertPathArrivedPointForPoint(lastMoves, tail);

        assertSequenceContiguous(session);
        String typed = closing.get("typed").asText();
        assertEquals(0, pipeline.query("select count(*) from ui_action where session_id = ? and ("
                + "coalesce(data::text, '') ilike ? or coalesce(target_attrs::text, '') ilike ?)", session,
                "%" + typed + "%", "%" + typed + "%"), "typed text is never stored in the default privacy mode");
        assertTrue(pipeline.query("select count(*) from ui_action where session_id = ? and type = 'keydown'", session)
                >= typed.length(), "key timing is recorded");
        assertEquals(2, pipeline.query("select count(*) from ui_action where session_id = ? and type = 'trial:end'",
                session));
        assertTrue(pipeline.query("select count(*) from ui_action where session_id = ? and type in ('wheel', 'scroll')",
                session) > 0, "scrolling is recorded");
        assertTrue(pipeline.query("select count(*) from ui_action where session_id = ? and type = 'navigate'", session)
                >= 3, "SPA navigation is recorded");
        assertEquals(1, pipeline.query("select count(distinct participant) from ui_action where session_id = ?"
                + " and participant = 'browser-run-1' and condition = 'A' and study = 'demo'", session));
    }

    /**
     * The research export of a browser session: its trials, and trial 1's trajectory sample for sample
     * (the known path, then the press and release on the target's centre), with mousetrap's measures
     * equal to those of the known path at the recorded times.
     */
    @Test
    void exportedTrialsAndTrajectoriesHoldTheBrowsersPathAndItsMeasures() throws Exception {
        String participant = "browser-export-1";
        JsonNode path;
        String session;
        try (BrowserScript browser = new BrowserScript(pipeline, "run", participant, PATH_POINTS)) {
            session = browser.until("session").get("session").asText();
            path = browser.until("path").get("path");
            browser.until("typed");
            browser.finishOnce("the session's last actions", () -> pipeline.query(
                    "select count(*) from ui_action where session_id = ? and type = 'page_unload'", session) == 1);
        }
        long startSeq = pipeline.query("select seq from ui_action where session_id = ? and type = 'trial:start'"
                + " and (data ->> 'trial')::int = 1", session);
        long endSeq = pipeline.query("select seq from ui_action where session_id = ? and type = 'trial:end'"
                + " and (data ->> 'trial')::int = 1", session);
        List<Map<String, Object>> recorded = pipeline.rows("select x, y, t_mono, type from mouse_position"
                + " where session_id = ? and seq between ? and ? order by seq", session, startSeq, endSeq);

        Path dir = TestPipeline.HOME.resolve("e2e-tests/target/export-" + session);
        new Exporter(() -> pipeline.infra.postgres().connect()).toDirectory(ExportRequest.of(
                new ExportFilter("demo", null, participant, null, null, false)), dir, ProgressListener.NONE);

        List<Map<String, String>> trials = csv(dir.resolve("trials.csv"));
        assertEquals(2, trials.size(), "the study's two trials");
        Map<String, String> first = trials.get(0);
        assertEquals(List.of("1", session, "trial:end", "false", "0", "0", Long.toString(startSeq), Long.toString(endSeq),
                Integer.toString(recorded.size())), List.of(first.get("trial"), first.get("session_id"),
                first.get("outcome"), first.get("incomplete"), first.get("lost_actions"), first.get("misses"),
                first.get("start_seq"), first.get("end_seq"), first.get("samples")));
        String mtId = first.get("mt_id");

        List<Map<String, String>> samples = csv(dir.resolve("trajectories.csv")).stream()
                .filter(row -> row.get("mt_id").equals(mtId)).toList();
        assertEquals(recorded.size(), samples.size(), "every pointer sample of the trial, and only those");
        JsonNode end = path.get(path.size() - 1);
        double firstMono = ((Number) recorded.get(0).get("t_mono")).doubleValue();
        double[] times = new double[samples.size()];
        double[] xs = new double[samples.size()];
        double[] ys = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            JsonNode known = i < path.size() ? path.get(i) : end;
            if (i < path.size()) {
                assertEquals("pointermove", recorded.get(i).get("type"), "the path's moves come first");
            }
            xs[i] = known.get("x").asDouble();
            ys[i] = known.get("y").asDouble();
            assertEquals(xs[i], Double.parseDouble(samples.get(i).get("xpos")), "x of sample " + i);
            assertEquals(ys[i], Double.parseDouble(samples.get(i).get("ypos")), "y of sample " + i);
            times[i] = Double.parseDouble(samples.get(i).get("timestamps"));
            assertEquals(((Number) recorded.get(i).get("t_mono")).doubleValue() - firstMono, times[i], 1e-9,
                    "time of sample " + i);
        }
        assertTrue(recorded.subList(path.size(), recorded.size()).stream()
                .noneMatch(row -> "pointermove".equals(row.get("type"))), "then only the press on the target");

        Measures expected = Measures.of(Preparation.prepare(new Trajectory(mtId, times, xs, ys)));
        Map<String, String> measured = csv(dir.resolve("measures.csv")).stream()
                .filter(row -> row.get("mt_id").equals(mtId)).findFirst().orElseThrow();
        for (String column : Measures.COLUMNS) {
            double want = expected.get(column);
            String got = measured.get(column);
            if (Double.isNaN(want)) {
                assertEquals("", got, column);
            } else {
                assertEquals(want, Double.parseDouble(got), Math.max(1e-9 * Math.abs(want), 1e-9), column);
            }
        }
        assertEquals(101, csv(dir.resolve("trajectories_tn.csv")).stream()
                .filter(row -> row.get("mt_id").equals(mtId)).count(), "mousetrap's 101 time-normalised steps");
    }

    /**
     * The trial and session_summary tables, which the processor keeps from its Kafka Streams state, hold
     * exactly what the research library computes from the rows of every session the other tests drove:
     * trials spanning batches, a session that lost a batch, one queued while ingest was down. Trials still
     * running when a session went quiet end after the shared pipeline's 8 s trial timeout.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void streamedTrialAndSessionTablesEqualWhatTheResearchLibraryComputesFromTheRows() throws Exception {
        Exporter research = new Exporter(() -> pipeline.infra.postgres().connect());
        ExportRequest study = ExportRequest.of(new ExportFilter("demo", null, null, null, null, false));
        List<Map<String, String>> trials = new ArrayList<>();
        List<Map<String, String>> sessions = new ArrayList<>();
        try {
            // In this thread: after a timeout, no poll still running may change the lists the assertions read.
            await("the streamed tables to catch up with the rows").atMost(Duration.ofSeconds(60))
                    .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).until(() -> {
                        trials.clear();
                        research.trials(study, prepared -> trials.add(SessionRows.values(prepared.trial())));
                        trials.removeIf(row -> !PARTICIPANTS.contains(row.get("participant")));
                        sessions.clear();
                        research.sessions(study, summary -> sessions.add(SessionRows.values(summary)));
                        sessions.removeIf(row -> !PARTICIPANTS.contains(row.get("participant")));
                        return trials.equals(ours(SessionRows.trials(pipeline, "demo")))
                                && sessions.equals(ours(SessionRows.sessions(pipeline, "demo")));
                    });
        } catch (ConditionTimeoutException e) {
            // the assertions below name the rows that differ
        }
        assertTrue(trials.size() >= 6, "two trials per browser session at least: " + trials.size());
        assertTrue(trials.stream().anyMatch(t -> !t.get("lost_actions").equals("0"))
                || sessions.stream().anyMatch(s -> !s.get("lost_actions").equals("0")), "a session lost actions");
        assertEquals(trials, ours(SessionRows.trials(pipeline, "demo")));
        assertEquals(sessions, ours(SessionRows.sessions(pipeline, "demo")));
    }

    /** A CSV file's rows as maps from its header. */
    private static List<Map<String, String>> csv(Path file) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (CsvReader reader = CsvReader.utf8(Files.newInputStream(file))) {
            List<String> header = reader.next();
            for (List<String> row = reader.next(); row != null; row = reader.next()) {
                Map<String, String> values = new java.util.LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    values.put(header.get(i), row.get(i));
                }
                rows.add(values);
            }
        }
        return rows;
    }

    /**
     * The console's live data-quality table while three participants do the study; one of them loses a
     * batch (the browser script answers it with a 202 itself). The console must show exactly that loss,
     * none for the others, and new actions without a reload.
     */
    @Test
    void theConsoleShowsEachParticipantsLostActionsLive() throws Exception {
        Path screenshot = TestPipeline.HOME.resolve("e2e-tests/target/console-quality.png");
        ProcessBuilder builder = new ProcessBuilder("node",
                TestPipeline.HOME.resolve("e2e-tests/src/test/js/console-quality.mjs").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("STUDY_URL", pipeline.studyApp().url() + "/");
        builder.environment().put("CONSOLE_URL", pipeline.console().url());
        builder.environment().put("SCREENSHOT", screenshot.toString());
        Process process = builder.start();
        Map<String, JsonNode> sessions = new java.util.HashMap<>();
        JsonNode shown = null;
        JsonNode updated = null;
        JsonNode plotted = null;
        JsonNode heatmapClicks = null;
        JsonNode consentClicks = null;
        JsonNode heatmapShown = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println("console browser: " + (line.length() > 300 ? line.substring(0, 300) + "..." : line));
                if (!line.startsWith("EVENT ")) {
                    continue;
                }
                JsonNode event = JSON.readTree(line.substring(6));
                if (event.has("participant")) {
                    sessions.put(event.get("participant").asText(), event);
                } else if (event.has("consoleRows")) {
                    shown = event.get("consoleRows");
                } else if (event.has("updatedRows")) {
                    updated = event;
                } else if (event.has("plotted")) {
                    plotted = event;
                } else if (event.has("heatmapClicks")) {
                    heatmapClicks = event.get("heatmapClicks");
                    consentClicks = event.get("consentClicks");
                } else if (event.has("heatmapShown")) {
                    heatmapShown = event.get("heatmapShown");
                }
            }
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the console browser script did not end");
        assertEquals(0, process.exitValue(), "the console browser script failed");
        assertTrue(shown != null && updated != null, "the script reported what the console showed");

        JsonNode lost = sessions.get("quality-2").get("lost");
        assertTrue(lost.size() > 0, "the script dropped a batch");
        String lossy = sessions.get("quality-2").get("session").asText();
        for (JsonNode seq : lost) {
            assertEquals(0, pipeline.query("select count(*) from ui_action where session_id = ? and seq = ?", lossy,
                    seq.asLong()), "seq " + seq + " never reached the pipeline");
        }
        assertEquals(pipeline.query("select max(seq) from ui_action where session_id = ?", lossy) - lost.size(),
                pipeline.query("select count(distinct seq) from ui_action where session_id = ?", lossy),
                "only the dropped batch is missing");
        for (JsonNode row : shown) {
            String participant = row.get("participant").asText();
            int expected = participant.equals("quality-2") ? lost.size() : 0;
            long numbered = row.get("actions").asLong() + expected;
            assertEquals(sessions.get(participant).get("session").asText(), row.get("session_id").asText());
            assertEquals(Integer.toString(expected), row.get("lost").asText(), "lost actions of " + participant);
            assertEquals(String.format(java.util.Locale.ROOT, "%.2f", expected * 100.0 / numbered),
                    row.get("lost_percent").asText(), "lost % of " + participant);
            assertEquals(expected > 0, row.get("problems").asText().contains("lost " + expected + " of"),
                    "the loss is named as a problem for " + participant + " only: " + row.get("problems"));
        }
        assertEquals(1, updated.get("navigations").asInt(), "the console updated itself without a reload");
        // The quality view counts end markers; the plot draws a trial whose start and end both arrived and
        // whose samples have two distinct times. For the lossy participant these may differ: a lost start
        // (or every sample of a trial lost) leaves an end marker without a drawable trial.
        for (JsonNode row : shown) {
            String participant = row.get("participant").asText();
            long drawable = pipeline.query("""
                    select count(*) from ui_action s join ui_action e on e.session_id = s.session_id
                        and e.type = 'trial:end' and e.data->>'trial' = s.data->>'trial'
                    where s.session_id = ? and s.type = 'trial:start'
                      and (select count(distinct p.t_mono) from mouse_position p
                           where p.session_id = s.session_id and p.seq between s.seq and e.seq) >= 2""",
                    sessions.get(participant).get("session").asText());
            if (!participant.equals("quality-2")) {
                assertEquals(row.get("trials_completed").asLong(), drawable, "every trial of " + participant
                        + " arrived whole");
            }
            assertEquals(drawable, plotted.get("plotted").get(participant).asLong(),
                    "one plotted path per whole trial of " + participant);
        }
        assertEquals(1, plotted.get("means").asInt(), "the mean path of the study's one condition");
        for (String page : new String[] {"", "-heatmaps", "-trajectories", "-exports"}) {
            Path shot = screenshot.resolveSibling("console-quality" + page + ".png");
            assertTrue(Files.size(shot) > 0, "a screenshot of the console's page under target/: " + shot);
        }

        // The heatmap of the clicks at known points (5 at A, 2 at B, 1 at C, and one on each of the consent
        // checkbox and button; 20 px cells, page px).
        assertEquals(List.of("1", "10"), List.of(heatmapShown.get("participants").asText(),
                heatmapShown.get("samples").asText()), "the page drew the heat participant's 10 clicks");
        HttpResponse<byte[]> png = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                pipeline.console().url() + "/api/v1/studies/demo/heatmap.png?condition=H&x=absolute&cell=20"))
                .header("Authorization", AdminLogin.basicAuthorization())
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
        Set<String> clicked = new HashSet<>();
        for (JsonNode clicks : List.of(heatmapClicks, consentClicks)) {
            for (JsonNode click : clicks) {
                clicked.add(click.get(0).asInt() / 20 + "," + click.get(1).asInt() / 20);
            }
        }
        assertEquals(5, clicked.size(), "five distinct cells: " + clicked);
        double[] shares = {1, 2 / 5.0, 1 / 5.0};
        for (int i = 0; i < 3; i++) {
            int x = heatmapClicks.get(i).get(0).asInt() / 20 * 20 + 10;
            int y = heatmapClicks.get(i).get(1).asInt() / 20 * 20 + 10;
            assertEquals(ColourScale.colour(shares[i]), image.getRGB(x, y) & 0xffffff,
                    "the cell of " + heatmapClicks.get(i) + ", the hottest first");
        }
        for (int y = 0; y < 580; y++) {
            for (int x = 0; x < 1100; x++) {
                if (!clicked.contains(x / 20 + "," + y / 20)) {
                    assertEquals(HeatmapPng.BACKGROUND, image.getRGB(x, y) & 0xffffff, "never clicked: " + x + "," + y);
                }
            }
        }
    }

    @Test
    void actionsQueuedWhileTheIngestServiceIsDownArriveAfterItReturns() throws Exception {
        JsonNode offline;
        String session;
        try (BrowserScript browser = new BrowserScript(pipeline, "outage", "browser-outage-1", PATH_POINTS)) {
            session = browser.until("session").get("session").asText();
            browser.phase("before-outage");
            pipeline.ingest().stop();
            browser.proceed();
            offline = browser.until("offlinePath").get("offlinePath");
            browser.phase("offline-actions-done");
            assertEquals(0, trialMoves(session, 1).size(), "nothing of the trial can arrive while ingest is down");
            pipeline.ingest().start();
            pipeline.ingest().waitReady();
            browser.proceed();
            JsonNode drained = browser.until("drainedMs");
            System.out.printf("browser e2e: %d actions were held while the ingest service was down; queue drained %s ms"
                    + " after it returned (%s)%n", offline.size(), drained.get("drainedMs"), drained.get("stats"));
            browser.finish();
        }
        await("the queued actions").atMost(Duration.ofSeconds(60)).until(() -> trialMoves(session, 1).size() == PATH_POINTS);
        Thread.sleep(1000);
        assertPathArrivedPointForPoint(offline, trialMoves(session, 1));
        assertSequenceContiguous(session);
    }
}

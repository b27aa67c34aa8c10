package io.useractions.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The round trip of docs/derived-tables.md against the packaged apps: a table is added to a running
 * pipeline whose raw topic already holds a study's batches (its file put in the processor's tables dir,
 * the processor restarted), the live path writes its rows for new batches, and {@code replay --table NAME}
 * (the command {@code ./ual replay} runs) back-fills the earlier ones while the pipeline runs and more
 * batches arrive. Then the table holds one row per action it holds, each with the values this test wrote
 * down when it made the batches; the rows the live path wrote are those the replay derives; and the core
 * tables are, row for row, what they were plus the new sessions' rows. Once for the declared
 * {@code click} table, once for the Java {@code key_chord} table.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedPipeline.class)
class DerivedTableRoundTripIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1764412800000L;
    /** Every core table's rows as JSON, keyed by table, session and the row's key within the session. */
    private static final String CORE_ROWS = """
            select 'ui_action' t, session_id s, id::text k, to_jsonb(x)::text j from ui_action x
            union all select 'mouse_position', session_id, action_id::text, to_jsonb(x)::text from mouse_position x
            union all select 'trial', session_id, participant || '/' || start_seq, to_jsonb(x)::text from trial x
            union all select 'session_summary', session_id, participant, to_jsonb(x)::text from session_summary x
            union all select 'session_quality', session_id, participant, to_jsonb(x)::text from session_quality x""";
    private static final String IDENTITY = "action_id::text action_id, study, participant, session_id, condition, seq,"
            + " type, (extract(epoch from client_time) * 1000)::bigint client_ms";

    /** A key press as the logger sends it, and the row key_chord has for it, written down by hand. */
    private record Key(String data, String chord, boolean shortcut, boolean repeat) {
    }

    private static final List<Key> KEYS = List.of(
            new Key("{\"category\":\"letter\"}", "letter", false, false),
            new Key("{\"category\":\"letter\",\"modifiers\":[\"shift\"]}", "shift+letter", false, false),
            new Key("{\"category\":\"letter\",\"key\":\"S\",\"code\":\"KeyS\",\"modifiers\":[\"shift\",\"ctrl\"]}",
                    "ctrl+shift+s", true, false),
            new Key("{\"category\":\"digit\",\"repeat\":true}", "digit", false, true),
            new Key("{\"category\":\"other\",\"key\":\"Tab\",\"code\":\"Tab\",\"modifiers\":[\"alt\"]}", "alt+tab",
                    true, false),
            new Key("{\"category\":\"letter\",\"modifiers\":[\"meta\"]}", "meta+letter", true, false));

    /** An action this class sent, its session, and the derived table that holds a row for it with that row's own values. */
    private record Sent(String session, String participant, String condition, ObjectNode action, String table,
            Map<String, Object> values) {
    }

    /** A participant's session, cut into the batches the logger would send. */
    private record Session(String id, String participant, String condition, List<Sent> actions, List<String> batches,
            int trials) {
    }

    private static TestPipeline pipeline;
    private static Path tablesDir;
    /** Everything sent so far: a table added later holds rows for all of it. */
    private static final List<Sent> SENT = new ArrayList<>();
    private static int sessionsMade;

    @BeforeAll
    static void start() {
        // The processor's tables dir is empty, and summaries of sessions that changed are written every half
        // second, so that a phase is projected soon (SharedPipeline).
        pipeline = SharedPipeline.pipeline();
        tablesDir = SharedPipeline.tablesDir();
    }

    @Test
    @Order(1)
    void aDeclaredTableAddedToARunningPipelineIsBackFilledAsTheLivePathWritesIt() throws Exception {
        roundTrip("click", "target_id, target_selector, trial, x, y, page_x, page_y, button");
    }

    @Test
    @Order(2)
    void aJavaTableAddedToARunningPipelineIsBackFilledAsTheLivePathWritesIt() throws Exception {
        roundTrip("key_chord", "chord, shortcut, repeat");
    }

    private void roundTrip(String table, String columns) throws Exception {
        long began = System.nanoTime();
        Path file = tablesDir.resolve(table + ".yaml");
        assertFalse(Files.exists(file));
        List<Session> before = sendAndAwait(3);
        step(table, "3 sessions projected", began);
        assertEquals(0, pipeline.query("select count(*) from pg_tables where tablename = ?", table),
                table + " is not there before its file is");
        Map<String, String> core0 = coreRows();

        // Add: the repository's own file, then the processor restarts; ingest keeps taking batches.
        Files.copy(TestPipeline.HOME.resolve("tables").resolve(table + ".yaml"), file);
        long restart = System.nanoTime();
        pipeline.restartProcessors();
        step(table, "processor restarted", restart);
        String log = Files.readString(pipeline.processor().logFile());
        assertTrue(log.contains("Created table " + table + " (" + file + ":")
                && log.contains("run ./ual replay --table " + table + " to derive the earlier ones"), log);
        assertEquals(0, pipeline.query("select count(*) from " + table));

        long sent = System.nanoTime();
        List<Session> live = sendAndAwait(2);
        step(table, "2 sessions projected", sent);
        Map<String, Map<String, String>> liveRows = rows(table, columns);
        assertEquals(expected(table, live), liveRows, "the live path writes rows for the new actions only");
        Map<String, String> liveJson = json(table);
        Map<String, String> core1 = coreRows();
        assertEquals(core0, without(core1, live), "the restart with a new table leaves the core rows as they were");
        assertCoreRowsOf(live, core1);

        // Back-fill while the pipeline runs and a participant after another keeps sending.
        long replayed = System.nanoTime();
        CompletableFuture<String> replay = CompletableFuture.supplyAsync(() -> pipeline.replay("--table", table));
        List<Session> during = new ArrayList<>();
        // A session every quarter second until the replay ends (at most 20, to keep the test short).
        while (!replay.isDone() && during.size() < 20) {
            Session session = session();
            send(session);
            during.add(session);
            Thread.sleep(250);
        }
        Map<String, String> first = summary(replay.get(3, TimeUnit.MINUTES));
        step(table, "back-fill replay", replayed);
        long projected = System.nanoTime();
        awaitProjected(during);
        step(table, "sessions sent during it projected", projected);
        System.out.printf("round trip %s: %d sessions before the table, %d after, %d during the replay: %s%n", table,
                before.size(), live.size(), during.size(), first);
        assertEquals("0", first.get("actions"), "the replay of " + table + " writes no ui_action row");
        assertEquals("0", first.get("mouse_positions"), "the replay of " + table + " writes no mouse_position row");

        Map<String, Map<String, String>> after = rows(table, columns);
        assertEquals(expected(table, null), after, "one row per action " + table + " holds, of every session sent");
        Map<String, String> afterJson = json(table);
        liveJson.forEach((id, row) -> assertEquals(row, afterJson.get(id), "the live row of " + id + " as the replay"
                + " derives it"));
        Map<String, String> core2 = coreRows();
        assertEquals(core1, without(core2, during), "the back-fill leaves the core rows as they were");
        assertCoreRowsOf(during, core2);

        // Again: nothing differs from what the replay derives, whether back-filled or written live.
        long again = System.nanoTime();
        Map<String, String> second = summary(pipeline.replay("--table", table));
        step(table, "second replay", again);
        assertEquals(List.of("compared", "0", "0"), List.of(second.get("mode"), second.get("rows_removed"),
                second.get("rows_added")), "a second replay of " + table + " changes nothing: " + second);
        assertEquals(afterJson, json(table));
        assertEquals(core2, coreRows());
        System.out.printf("round trip %s took %d ms%n", table, Duration.ofNanos(System.nanoTime() - began).toMillis());
    }

    private static void step(String table, String what, long beginNanos) {
        TestPipeline.phase("round trip " + table + ": " + what, beginNanos);
    }

    // ---- the study's batches ----

    /** A session as the study app makes one: moves, two trials with a click on the target each, a miss, keys. */
    private static Session session() {
        int n = ++sessionsMade;
        SessionBuilder b = new SessionBuilder(UUID.randomUUID().toString(), "rt-" + n, n % 2 == 0 ? "B" : "A",
                T0 + n * 600_000L);
        b.moves(3, 200, 300);
        for (int trial = 1; trial <= 2; trial++) {
            int tx = 120 + 90 * ((n + trial) % 7);
            int ty = 80 + 40 * ((n * trial) % 5);
            b.marker("trial:start", "{\"trial\":%d,\"target_x\":%d,\"target_y\":%d,\"target_r\":14}"
                    .formatted(trial, tx, ty), null);
            b.moves(4, tx, ty);
            if (trial == 2) {
                b.click("stage", "svg#stage", null, null, 0, tx - 60.5, ty + 30);
                b.marker("trial:miss", "{\"trial\":2}", null);
            }
            b.pointer("pointerdown", tx, ty, null);
            b.click("target", "svg#stage > circle#target", Integer.toString(trial), trial, 0, tx + 0.5, ty);
            b.marker("trial:end", "{\"trial\":%d,\"hit\":true,\"movement_ms\":%d}".formatted(trial, 400 + 10 * n),
                    target("target", "svg#stage > circle#target", Integer.toString(trial)));
            b.key(KEYS.get((n + trial) % KEYS.size()));
        }
        // A right click on a button whose data-trial is no number: the row has no trial.
        b.click("next", "main > button#next", "practice", null, 2, 640, 410.25);
        b.key(KEYS.get(n % KEYS.size()));
        b.key(KEYS.get((n + 3) % KEYS.size()));
        return b.session(3);
    }

    private static ObjectNode target(String id, String selector, String trial) {
        ObjectNode target = JSON.createObjectNode().put("id", id).put("selector", selector);
        if (trial != null) {
            target.putObject("attrs").put("data-trial", trial);
        }
        return target;
    }

    private static final class SessionBuilder {
        final String id;
        final String participant;
        final String condition;
        final long t0;
        final List<Sent> actions = new ArrayList<>();
        long seq;

        SessionBuilder(String id, String participant, String condition, long t0) {
            this.id = id;
            this.participant = participant;
            this.condition = condition;
            this.t0 = t0;
        }

        ObjectNode action(String type, String table, Map<String, Object> values) {
            seq++;
            ObjectNode action = JSON.createObjectNode().put("id", UUID.randomUUID().toString()).put("seq", seq)
                    .put("type", type).put("t", t0 + seq * 37).put("t_mono", seq * 37 + 0.125)
                    .put("url", "http://127.0.0.1/study");
            actions.add(new Sent(id, participant, condition, action, table, values));
            return action;
        }

        ObjectNode pointer(String type, double x, double y, String table, Map<String, Object> values) {
            return action(type, table, values).put("x", x).put("y", y).put("page_x", x).put("page_y", y + 64)
                    .put("screen_x", x + 8).put("screen_y", y + 150).put("vw", 1280).put("vh", 800);
        }

        void pointer(String type, double x, double y, ObjectNode target) {
            ObjectNode action = pointer(type, x, y, null, null);
            if (target != null) {
                action.set("target", target);
            }
        }

        void moves(int count, double towardX, double towardY) {
            for (int i = 1; i <= count; i++) {
                pointer("pointermove", towardX - 10.0 * (count - i) + 0.5, towardY + 3.0 * (count - i), null);
            }
        }

        void click(String targetId, String selector, String dataTrial, Integer trial, int button, double x, double y) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("target_id", targetId);
            values.put("target_selector", selector);
            values.put("trial", trial);
            values.put("x", x);
            values.put("y", y);
            values.put("page_x", x);
            values.put("page_y", y + 64);
            values.put("button", button);
            ObjectNode action = pointer("click", x, y, "click", values);
            action.set("target", target(targetId, selector, dataTrial));
            action.putObject("data").put("button", button).put("buttons", 0);
        }

        void marker(String type, String data, ObjectNode target) {
            ObjectNode action = action(type, null, null);
            action.set("data", parse(data));
            if (target != null) {
                action.set("target", target);
            }
        }

        void key(Key key) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("chord", key.chord());
            values.put("shortcut", key.shortcut());
            values.put("repeat", key.repeat());
            action("keydown", "key_chord", values).set("data", parse(key.data()));
            action("keyup", null, null).set("data", parse(key.data()));
        }

        /** The session in {@code batches} batches of consecutive actions. */
        Session session(int batches) {
            List<String> bodies = new ArrayList<>();
            int size = (actions.size() + batches - 1) / batches;
            for (int from = 0; from < actions.size(); from += size) {
                List<Sent> part = actions.subList(from, Math.min(actions.size(), from + size));
                ObjectNode batch = JSON.createObjectNode().put("study", TestPipeline.STUDY)
                        .put("participant", participant).put("session", id).put("condition", condition)
                        .put("sent_at", part.get(part.size() - 1).action().get("t").asLong() + 120);
                batch.putObject("context").put("user_agent", "round-trip").put("screen_w", 1920).put("screen_h", 1080)
                        .put("dpr", 1);
                ArrayNode list = batch.putArray("actions");
                part.forEach(sent -> list.add(sent.action()));
                bodies.add(batch.toString());
            }
            long trials = actions.stream().filter(a -> a.action().get("type").asText().equals("trial:end")).count();
            return new Session(id, participant, condition, List.copyOf(actions), List.copyOf(bodies), (int) trials);
        }
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static void send(Session session) {
        for (String batch : session.batches()) {
            var response = pipeline.post(batch);
            assertEquals(202, response.statusCode(), response.body());
        }
        synchronized (SENT) {
            SENT.addAll(session.actions());
        }
    }

    private static List<Session> sendAndAwait(int sessions) {
        List<Session> sent = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            Session session = session();
            send(session);
            sent.add(session);
        }
        awaitProjected(sent);
        return sent;
    }

    /** Until every action is a row and every trial and session summary of these sessions is written. */
    private static void awaitProjected(List<Session> sessions) {
        String in = in(sessions);
        long actions = sessions.stream().mapToLong(s -> s.actions().size()).sum();
        long trials = sessions.stream().mapToLong(Session::trials).sum();
        await("the rows of " + sessions.size() + " sessions").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() ->
                        pipeline.query("select count(*) from ui_action where session_id in " + in) == actions
                                && pipeline.query("select count(*) from trial where session_id in " + in) == trials
                                && pipeline.query("select coalesce(sum(actions), 0) from session_summary where session_id in "
                                        + in) == actions);
    }

    private static String in(List<Session> sessions) {
        return sessions.stream().map(s -> "'" + s.id() + "'").collect(Collectors.joining(",", "(", ")"));
    }

    // ---- what the tables hold ----

    /** The rows {@code table} should hold, by action id: for the sessions given, or for everything sent if null. */
    private static Map<String, Map<String, String>> expected(String table, List<Session> sessions) {
        List<Sent> actions = new ArrayList<>();
        if (sessions == null) {
            synchronized (SENT) {
                actions.addAll(SENT);
            }
        } else {
            sessions.forEach(s -> actions.addAll(s.actions()));
        }
        Map<String, Map<String, String>> rows = new TreeMap<>();
        for (Sent sent : actions) {
            if (!table.equals(sent.table())) {
                continue;
            }
            ObjectNode a = sent.action();
            Map<String, String> row = new LinkedHashMap<>();
            row.put("action_id", a.get("id").asText());
            row.put("study", TestPipeline.STUDY);
            row.put("participant", sent.participant());
            row.put("session_id", sent.session());
            row.put("condition", sent.condition());
            row.put("seq", a.get("seq").asText());
            row.put("type", a.get("type").asText());
            row.put("client_ms", a.get("t").asText());
            sent.values().forEach((column, value) -> row.put(column, text(value)));
            rows.put(row.get("action_id"), row);
        }
        return rows;
    }

    /** The table's rows by action id, each column's value as {@link #text}. */
    private static Map<String, Map<String, String>> rows(String table, String columns) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        for (Map<String, Object> row : pipeline.rows("select " + IDENTITY + ", " + columns + " from " + table)) {
            Map<String, String> values = new LinkedHashMap<>();
            row.forEach((column, value) -> values.put(column, text(value)));
            rows.put(values.get("action_id"), values);
        }
        return rows;
    }

    /** A value as text that compares equal when the values are: a whole number without its ".0". */
    private static String text(Object value) {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return Long.toString(n.longValue());
        }
        return String.valueOf(value);
    }

    /** The table's whole rows as JSON (provenance included), by action id. */
    private static Map<String, String> json(String table) {
        Map<String, String> rows = new TreeMap<>();
        for (Map<String, Object> row : pipeline.rows("select action_id::text k, to_jsonb(x)::text j from " + table + " x")) {
            rows.put((String) row.get("k"), (String) row.get("j"));
        }
        return rows;
    }

    private static Map<String, String> coreRows() {
        Map<String, String> rows = new TreeMap<>();
        for (Map<String, Object> row : pipeline.rows(CORE_ROWS)) {
            rows.put(row.get("t") + " " + row.get("s") + " " + row.get("k"), (String) row.get("j"));
        }
        return rows;
    }

    /** The core rows of every session but these. */
    private static Map<String, String> without(Map<String, String> core, List<Session> sessions) {
        Map<String, String> rest = new TreeMap<>(core);
        for (Session session : sessions) {
            rest.keySet().removeIf(key -> key.split(" ")[1].equals(session.id()));
        }
        return rest;
    }

    /** Each core table has the rows these sessions' actions make: one per action, per pointer action, per trial, per session. */
    private static void assertCoreRowsOf(List<Session> sessions, Map<String, String> core) {
        Map<String, Long> counts = new TreeMap<>();
        for (Session session : sessions) {
            core.keySet().stream().filter(key -> key.split(" ")[1].equals(session.id()))
                    .forEach(key -> counts.merge(key.split(" ")[0], 1L, Long::sum));
        }
        long actions = sessions.stream().mapToLong(s -> s.actions().size()).sum();
        long pointer = sessions.stream().flatMap(s -> s.actions().stream()).filter(a -> a.action().has("x")).count();
        long trials = sessions.stream().mapToLong(Session::trials).sum();
        assertEquals(Map.of("ui_action", actions, "mouse_position", pointer, "trial", trials, "session_summary",
                (long) sessions.size(), "session_quality", (long) sessions.size()), counts);
    }

    /** The name=value pairs of the replay's summary line. */
    private static Map<String, String> summary(String output) {
        String line = output.lines().filter(l -> l.contains("Replay finished: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no summary line in:\n" + output));
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : line.substring(line.indexOf("Replay finished: ") + 17).trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return values;
    }
}

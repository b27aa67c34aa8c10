package io.useractions.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.useractions.model.Limits;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;

/** The topology's session step: rows of trial and session_summary on the projection topic, from the store. */
class SessionsTopologyTest {
    private static final long T0 = TopologyRig.T0;

    private TopologyRig rig;

    @BeforeEach
    void setUp() {
        rig = new TopologyRig(ProjectionTopology.build(Topics.RAW, Topics.PROJECTION, Topics.DEAD_LETTER,
                Limits.DEFAULT, TopologyRig.SESSIONS, ProjectionTopology.Listener.NONE), Instant.ofEpochMilli(T0));
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private void send(long receivedAt, String... types) {
        rig.send("p-1", "s-1", receivedAt, types);
    }

    private static String table(TestRecord<String, byte[]> record) {
        var header = record.headers().lastHeader(RecordHeaders.TABLE);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aTrialSpanningRecordsIsOneRowWhenItEndsAndTheSummaryFollowsOnTheClock() {
        send(T0 + 10, "1:page:load", "2:trial:start");
        send(T0 + 20, "3:click", "4:trial:end");

        List<TestRecord<String, byte[]>> out = rig.projection.readRecordsToList();
        assertEquals(3, out.size(), "two raw records and one trial row");
        assertNull(table(out.get(0)));
        assertNull(table(out.get(1)));
        assertEquals("trial", table(out.get(2)));
        assertEquals("s-1", out.get(2).key(), "keyed like the session's records, so in their partition");
        String trial = new String(out.get(2).value(), StandardCharsets.UTF_8);
        assertTrue(trial.startsWith("p-1/s-1/1\tst\tp-1\ts-1\t\\N\t1\t1\ttrial:end\tf\t2\t4\t"), trial);

        rig.driver.advanceWallClockTime(Duration.ofSeconds(6));
        List<TestRecord<String, byte[]>> summaries = rig.projection.readRecordsToList();
        assertEquals(1, summaries.size());
        assertEquals("session_summary", table(summaries.get(0)));
        assertTrue(new String(summaries.get(0).value(), StandardCharsets.UTF_8).startsWith("st\tp-1\ts-1\t\\N\t4\t1\t4\t0\t0\t"));

        rig.driver.advanceWallClockTime(Duration.ofSeconds(6));
        assertTrue(rig.projection.isEmpty(), "an unchanged session is not written again");
    }

    @Test
    void aTrialRunningWhenItsSessionGoesQuietEndsIncompleteAfterTheTimeout() {
        send(T0 + 10, "1:trial:start", "2:click");
        rig.projection.readRecordsToList();

        rig.driver.advanceWallClockTime(Duration.ofMinutes(11));

        List<TestRecord<String, byte[]>> out = rig.projection.readRecordsToList();
        assertEquals(List.of("trial", "session_summary"), out.stream().map(SessionsTopologyTest::table).toList());
        String trial = new String(out.get(0).value(), StandardCharsets.UTF_8);
        assertTrue(trial.contains("\t\\N\tt\t1\t2\t"), "no outcome, incomplete, seq 1 to 2: " + trial);
        assertTrue(new String(out.get(1).value(), StandardCharsets.UTF_8).contains("\tf\t0\t"),
                "no longer in a trial");
    }

    @Test
    void recordsReceivedLongAgoAreNotForgottenBetweenThemByTheClock() {
        long yearAgo = T0 - Duration.ofDays(365).toMillis();
        send(yearAgo, "1:trial:start");
        rig.driver.advanceWallClockTime(Duration.ofSeconds(6));
        send(yearAgo, "2:trial:end");
        rig.driver.advanceWallClockTime(Duration.ofSeconds(6));

        List<String> rows = rig.projection.readRecordsToList().stream().filter(r -> table(r) != null)
                .map(r -> table(r) + " " + new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith("trial p-1/s-1/1\t"), "one complete trial: " + rows);
        assertTrue(rows.get(2).startsWith("session_summary st\tp-1\ts-1\t\\N\t2\t1\t2\t"),
                "both actions in the summary: " + rows);
    }
}

package io.useractions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static final String END = System.lineSeparator();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
    private long now = 5_000_000_000L;

    private ProgressLine line(long total) {
        return new ProgressLine(out, () -> now, "Replay", "records", total);
    }

    private void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsDoneTotalRateAndTimeLeft() {
        assertEquals("Replay: 120,000 / 600,000 records (20%), 40,000 records/s, 0:12 left",
                ProgressLine.text("Replay", "records", 120_000, 600_000, 40_000, TimeUnit.SECONDS.toNanos(3), false));
    }

    @Test
    void showsDoneAndRateOnlyWithoutATotal() {
        assertEquals("trials: 5,000 rows, 2,500 rows/s",
                ProgressLine.text("trials", "rows", 5_000, -1, 2_500, TimeUnit.SECONDS.toNanos(2), false));
    }

    @Test
    void finishedLineShowsTheTimeTaken() {
        assertEquals("Replay: 600,000 / 600,000 records (100%), 40,000 records/s, in 0:15",
                ProgressLine.text("Replay", "records", 600_000, 600_000, 40_000, TimeUnit.SECONDS.toNanos(15), true));
        assertEquals("actions: 0 / 0 rows, 0 rows/s, in 0:00",
                ProgressLine.text("actions", "rows", 0, 0, 0, 0, true));
    }

    @Test
    void timeLeftIsUnknownBeforeAnythingIsDone() {
        assertEquals("Replay: 0 / 10 records (0%), 0 records/s",
                ProgressLine.text("Replay", "records", 0, 10, 0, TimeUnit.SECONDS.toNanos(1), false));
    }

    @Test
    void rateIsTheMeanSinceTheStart() {
        assertEquals(2_000.0, ProgressLine.rate(3_000, TimeUnit.MILLISECONDS.toNanos(1_500)), 1e-9);
        assertEquals(0.0, ProgressLine.rate(3_000, 0));
    }

    @Test
    void timeLeftIsRoundedUpAndNeverNegative() {
        assertEquals(3, ProgressLine.secondsLeft(0, 25, 10));
        assertEquals(0, ProgressLine.secondsLeft(30, 25, 10));
    }

    @Test
    void rateLeavesOutTheWaitBeforeTheFirstWorkDone() {
        ProgressLine line = line(10_000);
        advanceMillis(3_000);
        line.update(0);
        line.update(100);
        advanceMillis(1_000);
        line.update(1_100);
        advanceMillis(1_000);
        line.finish(2_100);
        // The mean since the start would say 275 records/s and 0:33 left.
        assertEquals("\rReplay: 0 / 10,000 records (0%), 0 records/s"
                + "\rReplay: 1,100 / 10,000 records (11%), 1,000 records/s, 0:09 left"
                + "\rReplay: 2,100 / 10,000 records (21%), 420 records/s, in 0:05    " + END, printed());
    }

    @Test
    void clockHasHoursOnlyFromAnHour() {
        assertEquals("0:07", ProgressLine.clock(7));
        assertEquals("59:59", ProgressLine.clock(3_599));
        assertEquals("1:00:05", ProgressLine.clock(3_605));
    }

    @Test
    void percentageStaysAtMostAHundred() {
        assertTrue(ProgressLine.text("x", "rows", 11, 10, 1, 1, false).contains("(100%)"));
    }

    @Test
    void updatesAtMostOnceASecondInPlace() {
        ProgressLine line = line(1_000);
        line.update(0);
        assertEquals("", printed(), "nothing before a second has passed");
        advanceMillis(1_000);
        line.update(100);
        advanceMillis(400);
        line.update(150);
        advanceMillis(600);
        line.update(400);
        assertEquals("\rReplay: 100 / 1,000 records (10%), 100 records/s, 0:09 left"
                + "\rReplay: 400 / 1,000 records (40%), 300 records/s, 0:02 left", printed());
    }

    @Test
    void finishEndsTheLineOnceAndCoversALongerOne() {
        ProgressLine line = new ProgressLine(out, () -> now, "trials", "rows", -1);
        advanceMillis(1_000);
        line.update(12_345);
        advanceMillis(1_000);
        line.finish(20_000);
        line.finish(20_000);
        line.update(30_000);
        String running = "trials: 12,345 rows, 12,345 rows/s";
        String finished = "trials: 20,000 rows, 10,000 rows/s, in 0:02";
        assertEquals("\r" + running + "\r" + finished + END, printed());

        bytes.reset();
        line = line(-1);
        advanceMillis(1_000);
        line.update(1_234_567);
        line.finish(1);
        String longer = "Replay: 1,234,567 records, 1,234,567 records/s";
        String shorter = "Replay: 1 records, 1 records/s, in 0:01";
        assertEquals("\r" + longer + "\r" + shorter + " ".repeat(longer.length() - shorter.length()) + END,
                printed());
    }

    @Test
    void abandonEndsALineShownAndNothingElse() {
        ProgressLine line = line(10);
        line.abandon();
        assertEquals("", printed(), "nothing shown, nothing to end");

        line = line(10);
        advanceMillis(1_000);
        line.update(5);
        line.abandon();
        line.finish(10);
        assertEquals("\rReplay: 5 / 10 records (50%), 5 records/s, 0:01 left" + END, printed());
    }

    @Test
    void shownOnATerminalUnlessForced() {
        assertTrue(ProgressLine.wanted(null, true));
        assertFalse(ProgressLine.wanted(null, false));
        assertTrue(ProgressLine.wanted("auto", true));
        assertTrue(ProgressLine.wanted("on", false));
        assertTrue(ProgressLine.wanted(" ON ", false));
        assertFalse(ProgressLine.wanted("off", true));
        assertFalse(ProgressLine.wanted("Off", true));
    }

    @Test
    void testsRunWithoutATerminalSoWithoutProgress() {
        // Surefire's forked JVM has pipes for stdin and stdout, as CI's commands have.
        assertFalse(ProgressLine.wanted(Map.of()));
        assertTrue(ProgressLine.wanted(Map.of(ProgressLine.VARIABLE, "on")));
    }
}

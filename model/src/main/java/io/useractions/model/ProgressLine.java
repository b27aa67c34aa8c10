package io.useractions.model;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress of a long command (replay, export) on one terminal line, rewritten in place with a carriage
 * return at most once a second: done / total, the rate since the first work was done and the time left
 * at that rate (done and rate only when the total is unknown). {@link #finish} leaves the final state and ends the line. It is for people at a
 * terminal: the commands show it only when {@link #wanted} says so, so CI logs and tests never see it.
 * Used by one thread.
 */
public final class ProgressLine {

    /** {@code on} or {@code off} forces the line on or off; unset (or {@code auto}) shows it on a terminal only. */
    public static final String VARIABLE = "UAL_PROGRESS";
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private final String label;
    private final String unit;
    private final long total;
    private final long started;
    /** When the first of the work was done, and how much: the rate is measured from there. */
    private long flowStarted = -1;
    private long flowDone;
    private long lastShown;
    private int shownLength;
    private boolean finished;

    /** A line on {@code out}; {@code total} is -1 when unknown. */
    public ProgressLine(PrintStream out, String label, String unit, long total) {
        this(out, System::nanoTime, label, unit, total);
    }

    ProgressLine(PrintStream out, LongSupplier nanoTime, String label, String unit, long total) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.started = nanoTime.getAsLong();
        this.lastShown = started;
    }

    /** Whether to show progress, by {@link #VARIABLE} in {@code env}, else by whether stdin and stdout are a terminal. */
    public static boolean wanted(Map<String, String> env) {
        // Java 17's console exists only when stdin and stdout are both a terminal: never with output
        // to a pipe or a file, as in CI, tests, kubectl logs.
        return wanted(env.get(VARIABLE), System.console() != null);
    }

    static boolean wanted(String setting, boolean terminal) {
        String value = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> terminal;
        };
    }

    /** Shows {@code done} when a second has passed since the line was last shown. */
    public void update(long done) {
        long now = nanoTime.getAsLong();
        if (flowStarted < 0 && done > 0) {
            // What came before the first result (a query's sort, a consumer's first fetch) says nothing of the
            // rate of the rest.
            flowStarted = now;
            flowDone = done;
        }
        if (finished || now - lastShown < INTERVAL_NANOS) {
            return;
        }
        lastShown = now;
        double rate = flowStarted >= 0 && now > flowStarted ? rate(done - flowDone, now - flowStarted)
                : rate(done, now - started);
        show(text(label, unit, done, total, rate, now - started, false), false);
    }

    /** Shows the final state and ends the line; later calls do nothing. */
    public void finish(long done) {
        if (finished) {
            return;
        }
        finished = true;
        long elapsed = nanoTime.getAsLong() - started;
        show(text(label, unit, done, total, rate(done, elapsed), elapsed, true), true);
    }

    /** Ends the line where it stands, so that what follows (a failure) starts a line of its own. */
    public void abandon() {
        if (!finished && shownLength > 0) {
            out.print(System.lineSeparator());
            out.flush();
        }
        finished = true;
    }

    private void show(String text, boolean end) {
        // Blanks cover the rest of a longer line shown before.
        String padding = " ".repeat(Math.max(0, shownLength - text.length()));
        shownLength = text.length();
        out.print("\r" + text + padding + (end ? System.lineSeparator() : ""));
        out.flush();
    }

    /**
     * e.g. {@code Replay: 120,000 / 600,000 records (20%), 40,000 records/s, 0:12 left} while running,
     * {@code trials: 5,000 rows, 2,500 rows/s} without a total, {@code Replay: 600,000 / 600,000 records
     * (100%), 40,000 records/s, in 0:15} when finished.
     */
    static String text(String label, String unit, long done, long total, double rate, long elapsedNanos,
            boolean finished) {
        StringBuilder s = new StringBuilder(label).append(": ").append(String.format(Locale.ROOT, "%,d", done));
        if (total >= 0) {
            s.append(String.format(Locale.ROOT, " / %,d", total));
        }
        s.append(' ').append(unit);
        if (total > 0) {
            s.append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, done * 100 / total)));
        }
        s.append(String.format(Locale.ROOT, ", %,.0f %s/s", rate, unit));
        if (finished) {
            s.append(", in ").append(clock(TimeUnit.NANOSECONDS.toSeconds(elapsedNanos)));
        } else if (total >= 0 && rate > 0) {
            s.append(", ").append(clock(secondsLeft(done, total, rate))).append(" left");
        }
        return s.toString();
    }

    /** Per second; 0 before any time has passed. */
    static double rate(long done, long elapsedNanos) {
        return elapsedNanos <= 0 ? 0 : done * 1e9 / elapsedNanos;
    }

    /** Seconds until {@code total} at {@code rate}, rounded up; 0 once done. */
    static long secondsLeft(long done, long total, double rate) {
        return done >= total ? 0 : (long) Math.ceil((total - done) / rate);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}

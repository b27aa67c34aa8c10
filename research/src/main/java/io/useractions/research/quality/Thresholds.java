package io.useractions.research.quality;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a session's data needs a researcher's look, and why. The defaults: more than 0.1% of actions lost,
 * a clock more than 5 s off, pointer sampling coarser than 50 ms (median step), or silent for a minute
 * without having finished.
 */
public record Thresholds(double lostPercent, long skewMs, double intervalMs, Duration silence) {
    public static final Thresholds DEFAULT = new Thresholds(0.1, 5_000, 50, Duration.ofMinutes(1));

    /** The reasons, in words a researcher reads; empty when the session looks fine. */
    public List<String> problems(SessionQuality s, Instant now) {
        List<String> problems = new ArrayList<>();
        if (s.lostPercent() > lostPercent) {
            problems.add(String.format(Locale.ROOT, "lost %d of %d actions (%.2f%%)", s.lost(), s.highestSeq(),
                    s.lostPercent()));
        }
        if (s.skewWorstMs() > skewMs) {
            problems.add(String.format(Locale.ROOT, "clock off by up to %.1f s", s.skewWorstMs() / 1000.0));
        }
        if (s.intervalMedianMs() != null && s.intervalMedianMs() > intervalMs) {
            problems.add(String.format(Locale.ROOT, "pointer sampled every %.0f ms (median)", s.intervalMedianMs()));
        }
        if (!s.finished() && s.lastSeen() != null && s.lastSeen().plus(silence).isBefore(now)) {
            problems.add("silent for " + Duration.between(s.lastSeen(), now).toSeconds() + " s before finishing");
        }
        return problems;
    }
}

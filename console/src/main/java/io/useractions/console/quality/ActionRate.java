package io.useractions.console.quality;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Actions per second per study, from the totals that successive quality reads saw over the last
 * {@link #WINDOW}: the summary holds totals, not times, and a time-indexed count would cost the sink an
 * index on every row. Unknown (null) until two reads lie apart; each console instance keeps its own.
 */
@ApplicationScoped
public class ActionRate {
    public static final Duration WINDOW = Duration.ofSeconds(10);

    private record Seen(Instant at, long actions) {
    }

    private final ConcurrentHashMap<String, Deque<Seen>> seen = new ConcurrentHashMap<>();

    /** Records the study's total at {@code at} and returns the rate over the window before it. */
    public Double observe(String study, Instant at, long actions) {
        Deque<Seen> history = seen.computeIfAbsent(study, s -> new ArrayDeque<>());
        synchronized (history) {
            // keep the last total seen at or before the window's start, and all after it
            Instant start = at.minus(WINDOW);
            while (history.size() > 1 && !second(history).at().isAfter(start)) {
                history.removeFirst();
            }
            Seen oldest = history.peekFirst();
            history.addLast(new Seen(at, actions));
            if (oldest == null || !oldest.at().isBefore(at)) {
                return null;
            }
            double seconds = Duration.between(oldest.at(), at).toNanos() / 1e9;
            return Math.max(0, actions - oldest.actions()) / seconds;
        }
    }

    private static Seen second(Deque<Seen> history) {
        Iterator<Seen> i = history.iterator();
        i.next();
        return i.next();
    }
}

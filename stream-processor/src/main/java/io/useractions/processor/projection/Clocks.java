package io.useractions.processor.projection;

import io.useractions.model.Action;
import io.useractions.model.RawRecord;

/**
 * The projection's reading of client clocks. Pure: an action and its record always give the same
 * values, so a replay derives the same rows.
 */
public final class Clocks {
    /** A send delay beyond this means the client's clock is off, not the network slow. */
    static final long MAX_SKEW_MS = 5 * 60_000L;
    /** An action this much after its batch was sent cannot be: the client's clock jumped. */
    static final long MAX_AFTER_SEND_MS = 1_000L;
    static final long MAX_AGE_MS = 7 * 24 * 3_600_000L;

    private Clocks() {
    }

    /** The client's time shifted by the batch's send delay (receive time minus send time). */
    public static long serverTimeMillis(RawRecord record, Action action) {
        return action.t() + record.skewMillis();
    }

    /** Why the client's clock looks implausible ("clock_skew", "after_send", "too_old"), or null. */
    public static String flag(RawRecord record, Action action) {
        boolean skewed = Math.abs(record.skewMillis()) > MAX_SKEW_MS;
        long t = action.t();
        long sentAt = record.sentAt();
        if (!skewed && t <= sentAt + MAX_AFTER_SEND_MS && sentAt - t <= MAX_AGE_MS) {
            return null; // every action of a sane clock: no builder on the sink's hot path
        }
        StringBuilder flags = new StringBuilder();
        if (skewed) {
            flags.append("clock_skew");
        }
        if (t > sentAt + MAX_AFTER_SEND_MS) {
            flags.append(flags.isEmpty() ? "" : ",").append("after_send");
        }
        if (sentAt - t > MAX_AGE_MS) {
            flags.append(flags.isEmpty() ? "" : ",").append("too_old");
        }
        return flags.isEmpty() ? null : flags.toString();
    }
}

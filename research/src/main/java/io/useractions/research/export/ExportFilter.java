package io.useractions.research.export;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Which rows an export holds. The time range is on server_time (the client time corrected by the batch's
 * send delay, never null, comparable across participants whose clocks differ), half-open [from, to):
 * actions and positions by their own server_time, trials (and their trajectories and measures) by the
 * server_time of their start marker, a trial being kept whole.
 *
 * @param condition    null for all conditions
 * @param participant  null for all participants
 * @param from         null for no lower bound
 * @param to           null for no upper bound
 * @param completeOnly drop incomplete trials (trial tables only)
 */
public record ExportFilter(String study, String condition, String participant, Instant from, Instant to,
                           boolean completeOnly) {

    public ExportFilter {
        if (study == null || study.isBlank()) {
            throw new ExportRequestException("study is required");
        }
        condition = emptyToNull(condition);
        participant = emptyToNull(participant);
        for (String value : new String[] {study, condition, participant}) {
            if (value != null && value.indexOf('\0') >= 0) {
                throw new ExportRequestException("filter values must not contain NUL characters");
            }
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ExportRequestException("empty time range: from " + from + " is not before to " + to);
        }
    }

    /** The same rows, complete trials only. */
    public ExportFilter withCompleteOnly() {
        return new ExportFilter(study, condition, participant, from, to, true);
    }

    public static ExportFilter study(String study) {
        return new ExportFilter(study, null, null, null, null, false);
    }

    /** An ISO-8601 instant with an offset, e.g. 2026-12-02T05:14:46Z or 2026-12-02T06:14:46+01:00. */
    public static Instant parseTime(String option, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ExportRequestException(option + ": '" + text + "' is not an ISO-8601 time with an offset"
                    + " (e.g. 2026-12-02T05:14:46Z)");
        }
    }

    public boolean inRange(Instant t) {
        return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

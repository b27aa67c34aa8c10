package io.useractions.model.trial;

/** The action types that start, end and mark a miss inside a trial; any study may name its own. */
public record TrialMarkers(String start, String end, String miss) {

    public static final TrialMarkers DEFAULT = new TrialMarkers("trial:start", "trial:end", "trial:miss");

    public TrialMarkers {
        if (blank(start) || blank(end)) {
            throw new IllegalArgumentException("start and end markers must be named");
        }
        if (start.equals(end)) {
            throw new IllegalArgumentException("start and end markers must differ, both are '" + start + "'");
        }
        if (blank(miss)) {
            miss = null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

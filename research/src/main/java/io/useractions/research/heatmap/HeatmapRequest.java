package io.useractions.research.heatmap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a heatmap shows: which samples (study, kind, page, condition, viewport bucket), how x is placed,
 * how a cell is weighted and how large it is. Read from query parameters by {@link #parse(Map)}; the
 * constructor checks every rule, so a bad value is a {@link HeatmapRequestException} naming its parameter.
 *
 * @param url        exact page URL, or null for all pages
 * @param condition  null for all conditions
 * @param viewport   null for every viewport width
 * @param maxDwellMs a sample's dwell is capped at this, so a pointer left still for minutes does not dominate
 * @param width      reference width in px: relative x is drawn at it and an overlay scaled to it; null for
 *                   the median viewport width of the selected samples
 */
public record HeatmapRequest(String study, Kind kind, String url, String condition, ViewportBucket viewport,
                             XMode x, Weight weight, int cell, int maxDwellMs, Integer width) {

    public static final List<String> PARAMETERS = List.of("study", "kind", "url", "condition", "vw", "x", "weight",
            "cell", "max_dwell_ms", "width", "key");
    public static final int MIN_CELL = 2;
    public static final int MAX_CELL = 100;
    public static final int DEFAULT_CELL = 10;
    public static final int DEFAULT_MAX_DWELL_MS = 2000;
    public static final int MAX_MAX_DWELL_MS = 3_600_000;
    public static final int MIN_WIDTH = 200;
    public static final int MAX_WIDTH = 4000;

    /** Clicks from ui_action, or pointer movement from mouse_position. */
    public enum Kind {
        CLICK, MOVE;

        public Weight defaultWeight() {
            return this == CLICK ? Weight.COUNT : Weight.DWELL;
        }
    }

    /** x as a fraction of the action's viewport width drawn at the reference width, or in page px as recorded. */
    public enum XMode {
        RELATIVE, ABSOLUTE
    }

    /** A cell's weight: its samples, the distinct participants among them, or their summed dwell time (ms). */
    public enum Weight {
        COUNT, PARTICIPANTS, DWELL
    }

    public HeatmapRequest {
        if (study == null || study.isBlank()) {
            throw new HeatmapRequestException("study", "required");
        }
        kind = kind == null ? Kind.CLICK : kind;
        x = x == null ? XMode.RELATIVE : x;
        weight = weight == null ? kind.defaultWeight() : weight;
        if (weight == Weight.DWELL && kind != Kind.MOVE) {
            throw new HeatmapRequestException("weight", "dwell applies to kind=move only");
        }
        url = blankToNull("url", url);
        condition = blankToNull("condition", condition);
        checkRange("cell", cell, MIN_CELL, MAX_CELL);
        checkRange("max_dwell_ms", maxDwellMs, 1, MAX_MAX_DWELL_MS);
        if (width != null) {
            checkRange("width", width, MIN_WIDTH, MAX_WIDTH);
        }
    }

    /** A study's clicks with every default. */
    public static HeatmapRequest clicks(String study) {
        return new HeatmapRequest(study, Kind.CLICK, null, null, null, null, null, DEFAULT_CELL, DEFAULT_MAX_DWELL_MS,
                null);
    }

    /**
     * The request of query parameters (each given at most once; {@code key}, the console's credential, is
     * ignored): study, kind = click|move, url, condition, vw = a {@link ViewportBucket} label,
     * x = relative|absolute, weight = count|participants|dwell, cell, max_dwell_ms, width. A blank value
     * counts as not given; an unknown parameter is an error.
     */
    public static HeatmapRequest parse(Map<String, List<String>> parameters) {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new HeatmapRequestException(name, "unknown query parameter (known: "
                        + String.join(", ", PARAMETERS) + ")");
            }
        }
        String vw = value(parameters, "vw");
        ViewportBucket viewport = null;
        if (vw != null) {
            try {
                viewport = ViewportBucket.parse(vw.trim());
            } catch (IllegalArgumentException e) {
                throw new HeatmapRequestException("vw", e.getMessage());
            }
        }
        return new HeatmapRequest(value(parameters, "study"), choice(parameters, "kind", Kind.class),
                value(parameters, "url"), value(parameters, "condition"), viewport,
                choice(parameters, "x", XMode.class), choice(parameters, "weight", Weight.class),
                whole(parameters, "cell", DEFAULT_CELL), whole(parameters, "max_dwell_ms", DEFAULT_MAX_DWELL_MS),
                whole(parameters, "width", null));
    }

    /** As {@link #parse(Map)} with the study given apart (a path segment); the query may not name one. */
    public static HeatmapRequest parse(String study, Map<String, List<String>> query) {
        if (query.containsKey("study")) {
            throw new HeatmapRequestException("study", "given by the path, not a query parameter");
        }
        Map<String, List<String>> all = new HashMap<>(query);
        all.put("study", study == null ? List.of() : List.of(study));
        return parse(all);
    }

    private static String value(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new HeatmapRequestException(name, "given " + values.size() + " times");
        }
        String value = values.get(0);
        return value == null || value.isBlank() ? null : value;
    }

    private static <E extends Enum<E>> E choice(Map<String, List<String>> parameters, String name, Class<E> type) {
        String value = value(parameters, name);
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        throw new HeatmapRequestException(name, "'" + value + "' is not one of " + String.join(", ",
                Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
    }

    private static Integer whole(Map<String, List<String>> parameters, String name, Integer fallback) {
        String value = value(parameters, name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new HeatmapRequestException(name, "'" + value + "' is not a whole number");
        }
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new HeatmapRequestException(name, value + " is outside " + min + ".." + max);
        }
    }

    private static String blankToNull(String name, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw new HeatmapRequestException(name, "must not contain NUL characters");
        }
        return value == null || value.isBlank() ? null : value;
    }
}

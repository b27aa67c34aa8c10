package io.useractions.processor.studies;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

import io.useractions.model.StudyIds;

/** The rules for what an operator gives: study ids, browser origins and durations; pure functions. */
public final class StudyInput {
    /** The longest overlap of a key rotation, and the longest retention. */
    public static final Duration MAX_OVERLAP = Duration.ofDays(90);
    public static final Duration MAX_RETENTION = Duration.ofDays(36_500);

    private StudyInput() {
    }

    public static String id(String id) {
        if (!StudyIds.valid(id)) {
            throw new StudyException(400, "invalid_study", "id",
                    "a study id is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }

    /**
     * The origins as a browser sends them ({@code scheme://host[:port]}, http or https, no path), or
     * {@code *} for any; duplicates dropped, order kept.
     */
    public static List<String> origins(List<String> origins) {
        if (origins == null) {
            return List.of();
        }
        LinkedHashSet<String> kept = new LinkedHashSet<>();
        for (int i = 0; i < origins.size(); i++) {
            String origin = origins.get(i);
            String field = "origins[" + i + "]";
            if (origin == null || !(origin.equals("*") || isOrigin(origin))) {
                throw new StudyException(400, "invalid_origin", field, field + ": " + (origin == null ? "null"
                        : "'" + origin + "'") + " is not an origin: give scheme://host[:port] (http or https, "
                        + "no path, no trailing slash) or *");
            }
            kept.add(origin);
        }
        return new ArrayList<>(kept);
    }

    private static boolean isOrigin(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            // As browsers send it: lower-case scheme and host, nothing after the authority.
            return ("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && origin.equals(scheme + "://" + uri.getRawAuthority())
                    && origin.equals(origin.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * A duration as {@code 90s}, {@code 10m}, {@code 2h}, {@code 7d}, {@code 0} or ISO-8601
     * ({@code PT10M}, {@code P7D}); null when absent. Refused when negative or above {@code max}.
     */
    public static Duration duration(String text, String field, Duration max) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Duration duration = parse(text.trim());
        if (duration == null) {
            throw new StudyException(400, "invalid_duration", field, field + ": '" + text
                    + "' is not a duration: give e.g. 90s, 10m, 2h, 7d or ISO-8601 (PT10M)");
        }
        if (duration.isNegative() || duration.compareTo(max) > 0) {
            throw new StudyException(400, "invalid_duration", field, field + ": " + text + " is out of range (0 to "
                    + max.toDays() + "d)");
        }
        return duration;
    }

    private static Duration parse(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (text.startsWith("P") || text.startsWith("p") || text.startsWith("-P")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        char unit = text.charAt(text.length() - 1);
        String digits = text.substring(0, text.length() - 1);
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        long amount = Long.parseLong(digits);
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> null;
        };
    }
}

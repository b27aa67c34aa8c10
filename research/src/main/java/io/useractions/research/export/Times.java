package io.useractions.research.export;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one text form of a time in every export: ISO-8601, UTC, milliseconds, e.g. 2026-12-02T05:14:46.123Z. */
final class Times {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    static String format(long epochMicros) {
        long millis = Math.floorDiv(epochMicros, 1000L);
        return FORMAT.format(Instant.ofEpochMilli(millis));
    }
}

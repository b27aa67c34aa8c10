package io.useractions.processor.admin;

import io.useractions.model.RefusedException;

/**
 * The admin API's numeric query parameters, read from their text so that a wrong one is answered 400 naming
 * it (the framework's own conversion answers 404).
 */
final class QueryParameters {

    private QueryParameters() {
    }

    /** {@code value} as a whole number in {@code [min, max]}, {@code absent} when not given. */
    static long number(String name, String value, long min, long max, Long absent) {
        if (value == null || value.isBlank()) {
            if (absent == null) {
                throw new RefusedException(400, "missing_field", name, name + " is required");
            }
            return absent;
        }
        long number;
        try {
            number = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new RefusedException(400, "not_a_number", name, name + " must be a whole number, not '" + value + "'");
        }
        if (number < min || number > max) {
            throw new RefusedException(400, "out_of_range", name, name + (max == Long.MAX_VALUE
                    ? " must be at least " + min : " must be between " + min + " and " + max));
        }
        return number;
    }
}

package io.useractions.model;

/**
 * A batch or record that breaks the v1 schema. {@code field} is a JSON path such as
 * {@code actions[3].t}; {@code tooLarge} marks a size limit (HTTP 413) rather than a malformed value (400).
 */
public final class ValidationException extends RuntimeException {
    private final String field;
    private final boolean tooLarge;

    public ValidationException(String field, String problem) {
        this(field, problem, false);
    }

    public ValidationException(String field, String problem, boolean tooLarge) {
        super(field == null || field.isEmpty() ? problem : field + ": " + problem, null, false, false);
        this.field = field;
        this.tooLarge = tooLarge;
    }

    public static ValidationException tooLarge(String field, String problem) {
        return new ValidationException(field, problem, true);
    }

    public String field() {
        return field;
    }

    public boolean tooLarge() {
        return tooLarge;
    }
}

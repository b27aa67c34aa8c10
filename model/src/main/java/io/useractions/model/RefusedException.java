package io.useractions.model;

/**
 * A request refused: its HTTP status, a stable code, the field at fault (or null) and a sentence for
 * people. Each service's exception mapper turns it into that service's JSON error body.
 */
public class RefusedException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public RefusedException(int status, String code, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The field of the request at fault, or null when it is the request as a whole. */
    public String field() {
        return field;
    }
}

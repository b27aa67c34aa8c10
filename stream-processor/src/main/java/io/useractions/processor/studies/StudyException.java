package io.useractions.processor.studies;

/** A study request refused: its HTTP status, a stable code, the field at fault (or null) and a sentence. */
public class StudyException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public StudyException(int status, String code, String field, String message) {
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

    public String field() {
        return field;
    }

    static StudyException unknown(String id) {
        return new StudyException(404, "unknown_study", null, "study '" + id + "' is not registered");
    }
}

package io.useractions.research.export;

/** The caller asked for something that cannot be exported; the message says what, for a 400 or exit code 2. */
public class ExportRequestException extends RuntimeException {

    public ExportRequestException(String message) {
        super(message);
    }
}

package io.useractions.processor.studies;

import io.useractions.model.RefusedException;

/** A study request refused. */
public class StudyException extends RefusedException {

    public StudyException(int status, String code, String field, String message) {
        super(status, code, field, message);
    }

    static StudyException unknown(String id) {
        return new StudyException(404, "unknown_study", null, "study '" + id + "' is not registered");
    }
}

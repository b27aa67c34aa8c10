package io.useractions.model;

/** The wire format's rule for a study id, for those who register studies rather than read batches. */
public final class StudyIds {
    private StudyIds() {
    }

    /** Whether {@code id} is a study id a batch may name: 1-64 of A-Z a-z 0-9 . _ -, a letter or digit first. */
    public static boolean valid(String id) {
        return id != null && !id.isEmpty() && id.length() <= WireReader.MAX_STUDY && TextFormats.STUDY.test(id);
    }
}

package io.useractions.research.export;

/** No action of this study is stored. */
public final class UnknownStudyException extends ExportRequestException {

    public UnknownStudyException(String study) {
        super("unknown study '" + study + "': no actions stored for it");
    }
}

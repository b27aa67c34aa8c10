package io.useractions.model;

/** Kafka header names written by the pipeline. */
public final class RecordHeaders {
    public static final String SCHEMA = "ual-schema";
    public static final String SCHEMA_V2 = "v2";
    /** A v2 record sealed with its participant's data key ({@code model.crypto.SealedRecords}). */
    public static final String SCHEMA_SEALED = "sealed-v2";
    public static final String DLQ_REASON = "ual-dlq-reason";
    public static final String DLQ_FIELD = "ual-dlq-field";
    public static final String DLQ_STAGE = "ual-dlq-stage";
    public static final String SOURCE_TOPIC = "ual-src-topic";
    public static final String SOURCE_PARTITION = "ual-src-partition";
    public static final String SOURCE_OFFSET = "ual-src-offset";
    /** An action's index in its raw record, on a dead letter of one action. */
    public static final String SOURCE_INDEX = "ual-src-index";
    /** On a projection record that holds one row of a table spanning actions (trial, session_summary): its name. */
    public static final String TABLE = "ual-table";

    private RecordHeaders() {
    }
}

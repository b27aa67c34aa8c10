package io.useractions.processor.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.useractions.model.RawRecord;

/**
 * A record of the projection topic, decoded: a raw record with the raw topic position it came from, or
 * one row of a table spanning actions ({@code table}, {@code line} in COPY text), or the reason it could
 * not be decoded.
 */
record ProjectedRecord(ConsumerRecord<String, byte[]> source, RawRecord raw, int srcPartition, long srcOffset,
        ProjectedTable table, byte[] line, String error) {

    static ProjectedRecord raw(ConsumerRecord<String, byte[]> source, RawRecord raw, int srcPartition, long srcOffset) {
        return new ProjectedRecord(source, raw, srcPartition, srcOffset, null, null, null);
    }

    static ProjectedRecord row(ConsumerRecord<String, byte[]> source, ProjectedTable table) {
        return row(source, table, source.value());
    }

    /** A row whose COPY line is {@code line}: the record's value, opened when it was sealed. */
    static ProjectedRecord row(ConsumerRecord<String, byte[]> source, ProjectedTable table, byte[] line) {
        return new ProjectedRecord(source, null, -1, -1, table, line, null);
    }

    /** The study whose action or row this is; null for an invalid record. */
    String study() {
        return raw != null ? raw.study() : table != null ? table.text(line, "study") : null;
    }

    /** The participant whose action or row this is; null for an invalid record. */
    String participant() {
        return raw != null ? raw.participant() : table != null ? table.text(line, "participant") : null;
    }

    static ProjectedRecord invalid(ConsumerRecord<String, byte[]> source, String error) {
        return new ProjectedRecord(source, null, -1, -1, null, null, error);
    }
}

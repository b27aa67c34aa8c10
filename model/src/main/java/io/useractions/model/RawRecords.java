package io.useractions.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;

import io.useractions.model.crypto.RecordBinding;
import io.useractions.model.crypto.SealedPayloadException;
import io.useractions.model.crypto.SealedRecords;

/**
 * Writes and reads the records of the raw topic. Ingest writes v2: one record per accepted batch, the
 * envelope once and then the new actions exactly as the client sent them (validated, not re-encoded).
 * Records written before v2 hold one action each (v1) and stay readable.
 */
public final class RawRecords {
    /**
     * The largest v2 record: a batch whose actions would make a larger one is split into several, each
     * with the whole envelope. Half of the broker's default {@code max.message.bytes} (1 MiB), so no topic
     * setting has to change and a record's batch always fits a fetch.
     */
    public static final int MAX_RECORD_BYTES = 512 * 1024;

    private static final ObjectReader BINDER = Json.MAPPER.readerFor(Bound.class);
    private static final byte[] ACTIONS_FIELD = ",\"actions\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACTION_FIELD = ",\"action\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE_V2 = "]}".getBytes(StandardCharsets.US_ASCII);

    private RawRecords() {
    }

    /** Reads and validates a record of either version; the exception names the field at fault. */
    public static RawRecord decode(byte[] value, Limits limits) {
        return WireReader.record(value, limits);
    }

    /**
     * Reads a value of the raw topic as each of its readers must (the topology, the replay): opened first
     * when sealed, then read and validated as {@link #decode} does, and a sealed record's payload must name
     * the study, participant and session that its clear part names, which routing and erasure go by. Null
     * when it is sealed with a key that is gone: a withdrawn participant's record, which no one can read.
     *
     * @throws ValidationException for a record no reader accepts, naming the field at fault
     * @throws SealedPayloadException for a sealed value that does not open
     */
    public static RawRecord open(byte[] value, SealedRecords.Keys keys, Limits limits) {
        byte[] plain = SealedRecords.open(value, keys);
        if (plain == null && value != null) {
            return null;
        }
        RawRecord raw = decode(plain, limits);
        if (plain != value) {
            RecordBinding binding = SealedRecords.binding(value);
            if (!binding.study().equals(raw.study()) || !binding.participant().equals(raw.participant())
                    || !binding.session().equals(raw.session())) {
                throw new ValidationException("", "the sealed payload names another study, participant or session "
                        + "than its record's clear part");
            }
        }
        return raw;
    }

    /**
     * The v2 records of all the batch's actions, refusing the whole batch (before anything is produced)
     * when one of its actions would not fit a record of its own within {@link Limits#maxActionBytes()}.
     */
    public static List<byte[]> encode(Batch batch, long receivedAt, Limits limits) {
        byte[] head = head(batch, receivedAt, RawRecord.V2);
        byte[][] encoded = encodedActions(batch);
        for (int i = 0; i < batch.actions().size(); i++) {
            int size = head.length + length(batch, encoded, i) + CLOSE_V2.length;
            if (size > limits.maxActionBytes()) {
                throw ValidationException.tooLarge("actions[" + i + "]", "encodes to " + size
                        + " bytes, over the limit of " + limits.maxActionBytes() + " bytes per action");
            }
        }
        return records(batch, head, encoded, i -> true);
    }

    /**
     * The v2 records of the batch's actions that {@code keep} selects, in order: one record, or several
     * when they would exceed {@link #MAX_RECORD_BYTES}; none when no action is kept.
     */
    public static List<byte[]> encode(Batch batch, long receivedAt, IntPredicate keep) {
        return records(batch, head(batch, receivedAt, RawRecord.V2), encodedActions(batch), keep);
    }

    private static List<byte[]> records(Batch batch, byte[] head, byte[][] encoded, IntPredicate keep) {
        int count = batch.actions().size();
        List<byte[]> records = new ArrayList<>(1);
        int first = 0;
        while (first < count) {
            // The kept actions from `first` that fit one record (at least one), then the record, sized exactly.
            int size = head.length + CLOSE_V2.length - 1;
            int end = first;
            int kept = 0;
            for (; end < count; end++) {
                if (!keep.test(end)) {
                    continue;
                }
                int length = length(batch, encoded, end);
                if (kept > 0 && size + 1 + length > MAX_RECORD_BYTES) {
                    break;
                }
                size += 1 + length;
                kept++;
            }
            if (kept > 0) {
                byte[] record = new byte[size];
                System.arraycopy(head, 0, record, 0, head.length);
                int at = head.length;
                for (int i = first; i < end; i++) {
                    if (!keep.test(i)) {
                        continue;
                    }
                    if (at > head.length) {
                        record[at++] = ',';
                    }
                    int length = length(batch, encoded, i);
                    System.arraycopy(encoded != null ? encoded[i] : batch.raw().body(),
                            encoded != null ? 0 : batch.raw().starts()[i], record, at, length);
                    at += length;
                }
                System.arraycopy(CLOSE_V2, 0, record, at, CLOSE_V2.length);
                records.add(record);
            }
            first = end;
        }
        return records;
    }

    /** The actions of a batch built in code, each encoded once; null when the batch has the client's bytes. */
    private static byte[][] encodedActions(Batch batch) {
        if (batch.raw() != null) {
            return null;
        }
        byte[][] encoded = new byte[batch.actions().size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = json(batch.actions().get(i));
        }
        return encoded;
    }

    private static int length(Batch batch, byte[][] encoded, int i) {
        return encoded != null ? encoded[i].length : batch.raw().length(i);
    }

    /** The v2 records of all the batch's actions. */
    public static List<byte[]> encode(Batch batch, long receivedAt) {
        return encode(batch, receivedAt, i -> true);
    }

    /** The v1 records of a batch, one per action: the format before v2, which the processor and the replay still read. */
    public static List<byte[]> encodeV1(Batch batch, long receivedAt) {
        byte[] head = head(batch, receivedAt, RawRecord.V1);
        List<byte[]> records = new ArrayList<>(batch.actions().size());
        for (int i = 0; i < batch.actions().size(); i++) {
            byte[] action = actionBytes(batch, i);
            byte[] value = new byte[head.length + action.length + 1];
            System.arraycopy(head, 0, value, 0, head.length);
            System.arraycopy(action, 0, value, head.length, action.length);
            value[value.length - 1] = '}';
            records.add(value);
        }
        return records;
    }

    /** The envelope up to where its actions start: {@code {"v":2,...,"context":{...},"actions":[}. */
    private static byte[] head(Batch batch, long receivedAt, int version) {
        RawRecord envelope = new RawRecord(version, batch.study(), batch.participant(), batch.session(),
                batch.condition(), batch.sentAt(), receivedAt, batch.context(), null);
        byte[] closed = json(envelope);
        byte[] field = version == RawRecord.V1 ? ACTION_FIELD : ACTIONS_FIELD;
        byte[] head = new byte[closed.length - 1 + field.length];
        System.arraycopy(closed, 0, head, 0, closed.length - 1);
        System.arraycopy(field, 0, head, closed.length - 1, field.length);
        return head;
    }

    /** Action {@code i}'s JSON: the client's bytes when the batch has them, else encoded. */
    private static byte[] actionBytes(Batch batch, int i) {
        if (batch.raw() == null) {
            return json(batch.actions().get(i));
        }
        Batch.RawActions raw = batch.raw();
        byte[] action = new byte[raw.length(i)];
        System.arraycopy(raw.body(), raw.starts()[i], action, 0, action.length);
        return action;
    }

    private static byte[] json(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** A raw record as the binder sees it: v1's {@code action} or v2's {@code actions}. */
    private record Bound(int v, String study, String participant, String session, String condition,
            @JsonProperty("sent_at") long sentAt,
            @JsonProperty("received_at") long receivedAt, ClientContext context,
            Action action, List<Action> actions) {
    }

    /**
     * Reads a record that {@link #decode} has already accepted (the projection topic, which only the
     * topology writes), binding it straight to the records instead of validating every field again.
     * Anything that does not bind as a v1 or v2 record is refused as a whole.
     */
    public static RawRecord decodeValidated(byte[] value) {
        if (value == null) {
            throw new ValidationException("", "the record has no value");
        }
        try {
            Bound bound = BINDER.readValue(value);
            List<Action> actions = bound == null ? null
                    : bound.v() == RawRecord.V1 && bound.action() != null ? List.of(bound.action())
                    : bound.v() == RawRecord.V2 ? bound.actions() : null;
            if (actions == null || actions.isEmpty() || actions.stream().anyMatch(a -> a == null || a.id() == null
                    || a.type() == null)) {
                throw new ValidationException("", "not a v1 or v2 raw record");
            }
            return new RawRecord(bound.v(), bound.study(), bound.participant(), bound.session(), bound.condition(),
                    bound.sentAt(), bound.receivedAt(), bound.context(), actions);
        } catch (JacksonException e) {
            throw new ValidationException("", "not a valid raw record: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ValidationException("", "unreadable record: " + e.getMessage());
        }
    }
}

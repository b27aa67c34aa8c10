package io.useractions.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

/** Encodes and decodes the records of the raw and projection topics ({@link ActionEnvelope} as JSON). */
public final class EnvelopeCodec {
    private static final Set<String> ENVELOPE_FIELDS = Set.of("v", "study", "participant", "session", "condition",
            "sent_at", "received_at", "context", "action");

    private static final ObjectReader BINDER = Json.MAPPER.readerFor(ActionEnvelope.class);

    private EnvelopeCodec() {
    }

    public static byte[] encode(ActionEnvelope envelope) {
        try {
            return Json.MAPPER.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode action " + envelope.action().id(), e);
        }
    }

    /**
     * Encodes every action of a batch, in order, refusing the whole batch when one record would exceed
     * {@link Limits#maxActionBytes()}.
     */
    public static List<byte[]> encode(Batch batch, long receivedAt, Limits limits) {
        List<byte[]> records = new ArrayList<>(batch.actions().size());
        byte[] head = batch.raw() == null ? null : head(batch, receivedAt);
        for (int i = 0; i < batch.actions().size(); i++) {
            byte[] value = head != null ? splice(head, batch.raw(), i)
                    : encode(batch.envelope(batch.actions().get(i), receivedAt));
            if (value.length > limits.maxActionBytes()) {
                throw ValidationException.tooLarge("actions[" + i + "]", "encodes to " + value.length
                        + " bytes, over the limit of " + limits.maxActionBytes() + " bytes per action");
            }
            records.add(value);
        }
        return records;
    }

    private static final byte[] ACTION_FIELD = ",\"action\":".getBytes(StandardCharsets.US_ASCII);

    /** The envelope without its action and closing brace: {@code {"v":1,...,"context":{...}}. */
    private static byte[] head(Batch batch, long receivedAt) {
        byte[] withoutAction = encode(batch.envelope(null, receivedAt));
        byte[] head = Arrays.copyOf(withoutAction, withoutAction.length - 1 + ACTION_FIELD.length);
        System.arraycopy(ACTION_FIELD, 0, head, withoutAction.length - 1, ACTION_FIELD.length);
        return head;
    }

    /**
     * The record of action {@code i}: the batch's envelope head, the action's JSON exactly as the client
     * sent it (already parsed and validated), and a closing brace. Encoding an action again would cost
     * more than everything else ingest does with it, and the raw topic keeps the client's bytes.
     */
    private static byte[] splice(byte[] head, Batch.RawActions raw, int i) {
        byte[] value = Arrays.copyOf(head, head.length + raw.length(i) + 1);
        System.arraycopy(raw.body(), raw.starts()[i], value, head.length, raw.length(i));
        value[value.length - 1] = '}';
        return value;
    }

    /**
     * Decodes a record that {@link #decode(byte[], Limits)} has already accepted (the projection topic,
     * which only the topology writes), binding it straight to the records instead of validating every
     * field a second time. Binding yields the envelope the validating decoder yields for every record it
     * accepts, in the client's spelling or re-encoded (explicit nulls, upper-case ids, escapes, number
     * forms); anything that does not bind is refused as a whole.
     */
    public static ActionEnvelope decodeValidated(byte[] value) {
        requireValue(value);
        try {
            ActionEnvelope envelope = BINDER.readValue(value);
            if (envelope == null || envelope.v() != ActionEnvelope.VERSION || envelope.action() == null
                    || envelope.action().id() == null || envelope.action().type() == null) {
                throw new ValidationException("", "not a v" + ActionEnvelope.VERSION + " envelope");
            }
            return envelope;
        } catch (JacksonException e) {
            throw new ValidationException("", "not a valid envelope: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ValidationException("", "unreadable record: " + e.getMessage());
        }
    }

    /**
     * The session of a record that {@link #decode(byte[], Limits)} accepts, checked in one pass without
     * building a tree; null for any other record, whose fault {@link #decode(byte[], Limits)} names.
     */
    public static String sessionIfValid(byte[] value, Limits limits) {
        ActionEnvelope envelope = StreamingReader.envelope(value, limits);
        return envelope == null ? null : envelope.session();
    }

    /** A record without a value (a tombstone) is no envelope. */
    private static void requireValue(byte[] value) {
        if (value == null) {
            throw new ValidationException("", "the record has no value");
        }
    }

    /**
     * The envelope {@link #decode(byte[], Limits)} yields, read in one pass without a tree when the record
     * is valid; a refused record is read again as a tree, so the exception names the field at fault.
     */
    public static ActionEnvelope decodeOnePass(byte[] value, Limits limits) {
        ActionEnvelope envelope = StreamingReader.envelope(value, limits);
        return envelope != null ? envelope : decode(value, limits);
    }

    /** Decodes and validates a record; throws {@link ValidationException} naming the field at fault. */
    public static ActionEnvelope decode(byte[] value, Limits limits) {
        requireValue(value);
        JsonNode root = BatchParser.readTree(value);
        JsonFields f = JsonFields.of(root, "");
        f.rejectUnknown(ENVELOPE_FIELDS);
        int version = (int) f.requiredLong("v", ActionEnvelope.VERSION, ActionEnvelope.VERSION, "schema version");
        String study = ActionReader.study(f);
        String participant = ActionReader.participant(f);
        String session = ActionReader.session(f);
        String condition = ActionReader.condition(f);
        long sentAt = ActionReader.epochMillis(f, "sent_at");
        long receivedAt = ActionReader.epochMillis(f, "received_at");
        ClientContext context = ActionReader.context(f);
        JsonNode action = f.present("action");
        if (action == null) {
            throw new ValidationException("action", "is required");
        }
        return new ActionEnvelope(version, study, participant, session, condition, sentAt, receivedAt, context,
                ActionReader.action(action, "action", limits));
    }
}

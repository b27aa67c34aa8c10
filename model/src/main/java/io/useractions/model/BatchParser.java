package io.useractions.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;

/** Parses and validates a {@code POST /v1/batches} body. All or nothing: one bad action rejects the batch. */
public final class BatchParser {
    private static final Set<String> BATCH_FIELDS = Set.of("study", "participant", "session", "condition", "sent_at",
            "context", "actions");

    /** Reads one value in the middle of a document: what follows it is not "trailing". */
    private static final ObjectReader MEMBER_READER = Json.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Limits limits;

    public BatchParser(Limits limits) {
        this.limits = limits;
    }

    /**
     * Reads a body in one pass over its tokens when it is valid (the common case, without a tree); any
     * other body is read again as a tree, which names what is wrong with it.
     */
    public Batch parse(byte[] body) {
        Batch batch = StreamingReader.batch(body, limits);
        return batch != null ? batch : parseTree(body);
    }

    /** The tree reader: the same result as {@link #parse(byte[])}, and the error for a refused body. */
    Batch parseTree(byte[] body) {
        Spans spans = new Spans();
        Batch batch = parse(readTree(body, spans));
        if (spans.count != batch.actions().size()) {
            return batch;
        }
        return new Batch(batch.study(), batch.participant(), batch.session(), batch.condition(), batch.sentAt(),
                batch.context(), batch.actions(), new Batch.RawActions(body, Arrays.copyOf(spans.starts, spans.count),
                        Arrays.copyOf(spans.ends, spans.count)));
    }

    public Batch parse(JsonNode root) {
        JsonFields f = JsonFields.of(root, "");
        f.rejectUnknown(BATCH_FIELDS);
        String study = ActionReader.study(f);
        String participant = ActionReader.participant(f);
        String session = ActionReader.session(f);
        String condition = ActionReader.condition(f);
        long sentAt = ActionReader.epochMillis(f, "sent_at");
        ClientContext context = ActionReader.context(f);
        JsonNode actionsNode = f.present("actions");
        if (actionsNode == null) {
            throw new ValidationException("actions", "is required");
        }
        if (!actionsNode.isArray()) {
            throw new ValidationException("actions", "must be an array");
        }
        if (actionsNode.isEmpty()) {
            throw new ValidationException("actions", "must contain at least one action");
        }
        if (actionsNode.size() > limits.maxActions()) {
            throw ValidationException.tooLarge("actions",
                    actionsNode.size() + " actions exceed the limit of " + limits.maxActions() + " per batch");
        }
        List<Action> actions = new ArrayList<>(actionsNode.size());
        Map<UUID, Integer> seen = new HashMap<>();
        for (int i = 0; i < actionsNode.size(); i++) {
            String path = "actions[" + i + "]";
            Action action = ActionReader.action(actionsNode.get(i), path, limits);
            Integer first = seen.putIfAbsent(action.id(), i);
            if (first != null) {
                throw new ValidationException(path + ".id", "repeats the id of actions[" + first + "]");
            }
            actions.add(action);
        }
        return new Batch(study, participant, session, condition, sentAt, context, List.copyOf(actions));
    }

    /** Parses JSON, turning every syntax problem into a {@link ValidationException} that says where. */
    public static JsonNode readTree(byte[] body) {
        return readTree(body, null);
    }

    /**
     * As {@link #readTree(byte[])}; when the body is an object, also notes where each element of its
     * {@code actions} array starts and ends in {@code body}. The tree is the same either way: the root's
     * members are read one by one with the same mapper, and a repeated member is refused as it would be.
     */
    private static JsonNode readTree(byte[] body, Spans spans) {
        if (body == null || body.length == 0) {
            throw new ValidationException("", "the request body is empty");
        }
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ValidationException("", "the request body is empty");
            }
            JsonNode root = first == JsonToken.START_OBJECT && spans != null
                    ? readObjectWithSpans(parser, spans)
                    : Json.MAPPER.<JsonNode>readTree(parser);
            if (parser.nextToken() != null) {
                throw MismatchedInputException.from(parser, JsonNode.class,
                        "Trailing token (of type " + parser.currentToken() + ") found after value");
            }
            return root;
        } catch (JacksonException e) {
            JsonLocation where = e.getLocation();
            String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            throw new ValidationException("", "malformed JSON" + at + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ValidationException("", "unreadable body: " + e.getMessage());
        }
    }

    private static ObjectNode readObjectWithSpans(JsonParser parser, Spans spans) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonNode value;
            if (parser.nextToken() == JsonToken.START_ARRAY && "actions".equals(name)) {
                ArrayNode actions = Json.MAPPER.createArrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    actions.add(MEMBER_READER.<JsonNode>readTree(parser));
                    spans.add(start, (int) parser.currentLocation().getByteOffset());
                }
                value = actions;
            } else {
                value = MEMBER_READER.readTree(parser);
            }
            if (root.replace(name, value) != null) {
                throw MismatchedInputException.from(parser, JsonNode.class, "Duplicate field '" + name + "'");
            }
        }
        return root;
    }

    /** Byte ranges of the actions in the body. */
    private static final class Spans {
        int[] starts = new int[64];
        int[] ends = new int[64];
        int count;

        void add(int start, int end) {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count++] = end;
        }
    }

    /** Jackson's message without the parser's location details, which the caller states once itself. */
    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        String text = message;
        for (String cut : new String[] { "\n", " (for ", " for `", " at [Source" }) {
            int at = text.indexOf(cut);
            if (at > 0) {
                text = text.substring(0, at);
            }
        }
        return text;
    }
}

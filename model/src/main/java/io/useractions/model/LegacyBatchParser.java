package io.useractions.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Maps the seed's format (a JSON array of flat actions: {@code name}, {@code timestamp},
 * {@code page_x}..{@code screen_y}, {@code element_id} and constant attributes such as {@code user} and
 * {@code condition_1}) onto a v1 batch, then validates it as one.
 *
 * <p>The seed sent no ids, sessions or sequence numbers, so they are derived deterministically: the
 * session from study and participant, each id from the session, the action's content and its
 * occurrence among identical actions of the batch. A batch sent twice therefore dedupes like a v1 batch.
 */
public final class LegacyBatchParser {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> COORDINATES = Map.of("client_x", "x", "client_y", "y", "page_x", "page_x",
            "page_y", "page_y", "screen_x", "screen_x", "screen_y", "screen_y");
    private static final Set<String> IDENTITY = Set.of("user", "participant", "session", "condition", "condition_1",
            "study");

    private final BatchParser parser;
    private final String defaultStudy;

    public LegacyBatchParser(Limits limits, String defaultStudy) {
        this.parser = new BatchParser(limits);
        this.defaultStudy = defaultStudy;
    }

    public Batch parse(byte[] body, String studyParam, long receivedAt) {
        JsonNode root = readTree(body);
        if (!root.isArray()) {
            throw new ValidationException("", "must be a JSON array of actions (legacy format)");
        }
        if (root.isEmpty()) {
            throw new ValidationException("", "must contain at least one action");
        }
        JsonNode first = object(root.get(0), "[0]");
        String study = studyParam != null ? studyParam : text(first, "study", defaultStudy);
        String participant = text(first, "user", text(first, "participant", "anonymous"));
        String session = text(first, "session",
                UUID.nameUUIDFromBytes(("legacy\0" + study + "\0" + participant).getBytes(StandardCharsets.UTF_8))
                        .toString());
        String condition = text(first, "condition", text(first, "condition_1", null));

        ObjectNode batch = NODES.objectNode();
        batch.put("study", study);
        batch.put("participant", participant);
        batch.put("session", session);
        if (condition != null) {
            batch.put("condition", condition);
        }
        batch.put("sent_at", receivedAt);
        ArrayNode actions = batch.putArray("actions");
        Map<String, Integer> occurrences = new HashMap<>();
        for (int i = 0; i < root.size(); i++) {
            actions.add(action(root.get(i), "[" + i + "]", i, session, occurrences));
        }
        // Read as a v1 body, so the rules and the raw record's bytes are those of any batch.
        try {
            return parser.parse(Json.MAPPER.writeValueAsBytes(batch));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the mapped batch", e);
        }
    }

    private static JsonNode readTree(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ValidationException("", "the request body is empty");
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw WireReader.malformed(e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new ValidationException("", "unreadable body: " + e.getMessage());
        }
    }

    private static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new ValidationException(path, "must be a JSON object");
        }
        return node;
    }

    private static ObjectNode action(JsonNode node, String path, int index, String session,
            Map<String, Integer> occurrences) {
        object(node, path);
        String content = node.toString();
        int occurrence = occurrences.merge(content, 1, Integer::sum);
        ObjectNode action = NODES.objectNode();
        action.put("id", UUID.nameUUIDFromBytes((session + "\0" + occurrence + "\0" + content)
                .getBytes(StandardCharsets.UTF_8)).toString());
        action.put("seq", index);
        String name = name(node, path);
        action.put("type", typeName(name));
        action.set("t", timestamp(node, path));
        ObjectNode data = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            String mapped = COORDINATES.get(key);
            if (mapped != null) {
                action.set(mapped, field.getValue());
            } else if (key.equals("element_id")) {
                if (!field.getValue().isNull()) {
                    action.putObject("target").set("id", field.getValue().isTextual() ? field.getValue()
                            : NODES.textNode(field.getValue().asText()));
                }
            } else if (key.equals("url")) {
                action.set("url", field.getValue());
            } else if (!key.equals("name") && !key.equals("timestamp") && !IDENTITY.contains(key)) {
                data.set(key, field.getValue());
            }
        }
        if (!name.equals(action.get("type").textValue())) {
            data.put("name", name);
        }
        if (!data.isEmpty()) {
            action.set("data", data);
        }
        return action;
    }

    /** The seed's names were free text ("mouse move"); v1 types are identifiers. */
    private static String typeName(String name) {
        String type = name.replaceAll("[^A-Za-z0-9_.:-]", "_");
        return Character.isLetter(type.charAt(0)) ? type : "a" + type;
    }

    private static String name(JsonNode action, String path) {
        JsonNode value = action.get("name");
        if (value == null || value.isNull()) {
            throw new ValidationException(path + ".name", "is required");
        }
        if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > 64) {
            throw new ValidationException(path + ".name", "must be a string of 1-64 characters");
        }
        return value.textValue();
    }

    /** The seed's timestamp: epoch milliseconds or an ISO-8601 instant (the v1 rules check the range). */
    private static JsonNode timestamp(JsonNode action, String path) {
        JsonNode value = action.get("timestamp");
        if (value == null || value.isNull()) {
            throw new ValidationException(path + ".timestamp", "is required");
        }
        if (value.isTextual()) {
            try {
                return NODES.numberNode(Instant.parse(value.textValue()).toEpochMilli());
            } catch (DateTimeParseException e) {
                throw new ValidationException(path + ".timestamp", "must be epoch milliseconds or an ISO-8601 instant");
            }
        }
        return value;
    }

    private static String text(JsonNode f, String name, String fallback) {
        JsonNode value = f.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        return value.isTextual() ? value.textValue() : value.asText();
    }
}

package io.useractions.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;

/** Parses and validates a {@code POST /v1/batches} body. All or nothing: one bad action rejects the batch. */
public final class BatchParser {
    private static final Set<String> BATCH_FIELDS = Set.of("study", "participant", "session", "condition", "sent_at",
            "context", "actions");

    private final Limits limits;

    public BatchParser(Limits limits) {
        this.limits = limits;
    }

    public Batch parse(byte[] body) {
        return parse(readTree(body));
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
        if (body == null || body.length == 0) {
            throw new ValidationException("", "the request body is empty");
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new ValidationException("", "the request body is empty");
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

    /** Jackson's message without the parser's location details, which the caller states once itself. */
    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        String text = message;
        for (String cut : new String[] { "\n", " (for ", " at [Source" }) {
            int at = text.indexOf(cut);
            if (at > 0) {
                text = text.substring(0, at);
            }
        }
        return text;
    }
}

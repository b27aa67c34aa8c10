package io.useractions.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads and validates the parts of the v1 schema that the batch and the Kafka envelope share. */
final class ActionReader {

    // Shared with StreamingValidator, which must accept exactly what these readers accept.
    static final double MAX_COORDINATE = 1e7;
    static final long MAX_SEQ = 1L << 53;
    static final int MAX_ATTRS = 32;
    static final int MAX_STUDY = 64;
    static final int MAX_NAME = 128;
    static final int MAX_TYPE = 64;
    static final int MAX_URL = 4096;
    static final int MAX_USER_AGENT = 1024;
    static final int MAX_LOCALE = 64;
    static final int MAX_PIXELS = 100_000;
    static final double MAX_DPR = 64;
    static final int MAX_TZ_OFFSET_MIN = 24 * 60;
    static final double MAX_T_MONO = 1e12;

    private static final Set<String> ACTION_FIELDS = Set.of("id", "seq", "type", "t", "t_mono", "url", "x", "y",
            "page_x", "page_y", "screen_x", "screen_y", "vw", "vh", "target", "data");
    private static final Set<String> TARGET_FIELDS = Set.of("id", "selector", "attrs");
    private static final Set<String> CONTEXT_FIELDS = Set.of("user_agent", "screen_w", "screen_h", "dpr", "language",
            "timezone", "tz_offset_min");

    private ActionReader() {
    }

    static String study(JsonFields fields) {
        return fields.requiredString("study", MAX_STUDY, TextFormats.STUDY, "1-64 letters, digits, '.', '_' or '-'");
    }

    static String participant(JsonFields fields) {
        return fields.requiredString("participant", MAX_NAME, TextFormats.PRINTABLE, "printable text");
    }

    static String session(JsonFields fields) {
        return fields.requiredString("session", MAX_NAME, TextFormats.SESSION, "1-128 letters, digits, '.', '_', ':' or '-'");
    }

    static String condition(JsonFields fields) {
        return fields.optionalString("condition", MAX_NAME, TextFormats.PRINTABLE, "printable text");
    }

    static long epochMillis(JsonFields fields, String name) {
        return fields.requiredLong(name, 0, JsonFields.MAX_EPOCH_MS, "epoch milliseconds");
    }

    static ClientContext context(JsonFields parent) {
        ObjectNode node = parent.optionalObject("context");
        if (node == null) {
            return null;
        }
        JsonFields f = JsonFields.of(node, parent.path("context"));
        f.rejectUnknown(CONTEXT_FIELDS);
        return new ClientContext(
                f.optionalString("user_agent", MAX_USER_AGENT, null, null),
                f.optionalInt("screen_w", 0, MAX_PIXELS, "pixels"),
                f.optionalInt("screen_h", 0, MAX_PIXELS, "pixels"),
                f.optionalDouble("dpr", 0, MAX_DPR),
                f.optionalString("language", MAX_LOCALE, TextFormats.PRINTABLE, "printable text"),
                f.optionalString("timezone", MAX_LOCALE, TextFormats.PRINTABLE, "printable text"),
                f.optionalInt("tz_offset_min", -MAX_TZ_OFFSET_MIN, MAX_TZ_OFFSET_MIN, "minutes"));
    }

    static Action action(JsonNode node, String path, Limits limits) {
        JsonFields f = JsonFields.of(node, path);
        f.rejectUnknown(ACTION_FIELDS);
        Action action = new Action(
                f.requiredUuid("id"),
                f.requiredLong("seq", 0, MAX_SEQ, "per-session sequence number"),
                f.requiredString("type", MAX_TYPE, TextFormats.TYPE, "a name of letters, digits, '_', '.', ':' or '-' starting with a letter"),
                epochMillis(f, "t"),
                f.optionalDouble("t_mono", 0, MAX_T_MONO),
                f.optionalString("url", MAX_URL, null, null),
                coordinate(f, "x"),
                coordinate(f, "y"),
                coordinate(f, "page_x"),
                coordinate(f, "page_y"),
                coordinate(f, "screen_x"),
                coordinate(f, "screen_y"),
                f.optionalInt("vw", 0, MAX_PIXELS, "viewport width in CSS pixels"),
                f.optionalInt("vh", 0, MAX_PIXELS, "viewport height in CSS pixels"),
                target(f),
                data(f, limits));
        if ((action.x() == null) != (action.y() == null)) {
            throw new ValidationException(f.path(action.x() == null ? "x" : "y"), "x and y must be given together");
        }
        return action;
    }

    private static Double coordinate(JsonFields f, String name) {
        return f.optionalDouble(name, -MAX_COORDINATE, MAX_COORDINATE);
    }

    private static Target target(JsonFields parent) {
        ObjectNode node = parent.optionalObject("target");
        return node == null ? null : target(node, parent.path("target"));
    }

    /** An action's {@code target} object, validated. */
    static Target target(ObjectNode node, String path) {
        JsonFields f = JsonFields.of(node, path);
        f.rejectUnknown(TARGET_FIELDS);
        ObjectNode attrsNode = f.optionalObject("attrs");
        Map<String, String> attrs = null;
        if (attrsNode != null) {
            if (attrsNode.size() > MAX_ATTRS) {
                throw ValidationException.tooLarge(f.path("attrs"), "has more than " + MAX_ATTRS + " entries");
            }
            attrs = new LinkedHashMap<>();
            JsonFields attrFields = JsonFields.of(attrsNode, f.path("attrs"));
            for (var names = attrsNode.fieldNames(); names.hasNext();) {
                String name = names.next();
                JsonFields.checkText(name, attrFields.path(name));
                attrs.put(name, attrFields.optionalString(name, 1024, null, null));
            }
        }
        return new Target(f.optionalString("id", 256, null, null), f.optionalString("selector", 1024, null, null),
                attrs);
    }

    private static ObjectNode data(JsonFields parent, Limits limits) {
        ObjectNode data = parent.optionalObject("data");
        if (data != null) {
            JsonFields.checkFreeForm(data, parent.path("data"), 1, limits.maxDataDepth());
        }
        return data;
    }
}

package io.useractions.processor.tables;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.useractions.model.Target;
import io.useractions.processor.projection.ActionRow;

/**
 * The fields of an action a declared column can take its value from ({@code from:}), with their types:
 * the action's own fields as the core tables name them, {@code target.id}, {@code target.selector},
 * {@code target.attrs} and {@code target.attrs.NAME}, and {@code data}, {@code data.PATH} (dots go
 * down into objects, a number picks an array element) and {@code context}.
 */
final class ActionFields {
    /** A field's type and value. */
    record Field(SqlType type, Function<ActionRow, Object> value) {
    }

    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();

    static {
        put("id", SqlType.UUID, ActionRow::id);
        put("study", SqlType.TEXT, row -> row.record().study());
        put("participant", SqlType.TEXT, row -> row.record().participant());
        put("session_id", SqlType.TEXT, row -> row.record().session());
        put("condition", SqlType.TEXT, row -> row.record().condition());
        put("seq", SqlType.BIGINT, row -> row.action().seq());
        put("type", SqlType.TEXT, row -> row.action().type());
        put("client_time", SqlType.TIMESTAMPTZ, row -> row.action().t());
        put("server_time", SqlType.TIMESTAMPTZ, ActionRow::serverTime);
        put("sent_at", SqlType.TIMESTAMPTZ, row -> row.record().sentAt());
        put("received_at", SqlType.TIMESTAMPTZ, row -> row.record().receivedAt());
        put("t_mono", SqlType.DOUBLE, row -> row.action().tMono());
        put("url", SqlType.TEXT, row -> row.action().url());
        put("x", SqlType.DOUBLE, row -> row.action().x());
        put("y", SqlType.DOUBLE, row -> row.action().y());
        put("page_x", SqlType.DOUBLE, row -> row.action().pageX());
        put("page_y", SqlType.DOUBLE, row -> row.action().pageY());
        put("screen_x", SqlType.DOUBLE, row -> row.action().screenX());
        put("screen_y", SqlType.DOUBLE, row -> row.action().screenY());
        put("vw", SqlType.INTEGER, row -> row.action().vw());
        put("vh", SqlType.INTEGER, row -> row.action().vh());
        put("target.id", SqlType.TEXT, row -> target(row) == null ? null : target(row).id());
        put("target.selector", SqlType.TEXT, row -> target(row) == null ? null : target(row).selector());
        put("target.attrs", SqlType.JSONB, row -> target(row) == null ? null : target(row).attrs());
        put("data", SqlType.JSONB, row -> row.action().data());
        put("context", SqlType.JSONB, ActionRow::contextJson);
    }

    private ActionFields() {
    }

    private static void put(String name, SqlType type, Function<ActionRow, Object> value) {
        FIELDS.put(name, new Field(type, value));
    }

    /** The field {@code from} names, if it is one; {@code data.PATH} and {@code target.attrs.NAME} default to text. */
    static Optional<Field> named(String from) {
        Field field = FIELDS.get(from);
        if (field != null) {
            return Optional.of(field);
        }
        if (from.startsWith("data.") && from.length() > 5 && !from.endsWith(".") && !from.contains("..")) {
            List<String> path = List.of(from.substring(5).split("\\."));
            return Optional.of(new Field(SqlType.TEXT, row -> at(row.action().data(), path)));
        }
        if (from.startsWith("target.attrs.") && from.length() > 13) {
            String attribute = from.substring(13);
            return Optional.of(new Field(SqlType.TEXT, row -> target(row) == null || target(row).attrs() == null
                    ? null : target(row).attrs().get(attribute)));
        }
        return Optional.empty();
    }

    /** What a declaration may name. */
    static String names() {
        return String.join(", ", FIELDS.keySet()) + ", data.PATH, target.attrs.NAME";
    }

    private static Object at(JsonNode node, List<String> path) {
        for (String step : path) {
            if (node == null) {
                return null;
            }
            node = node.isArray() && isIndex(step) ? node.get(Integer.parseInt(step)) : node.get(step);
        }
        return node;
    }

    private static boolean isIndex(String step) {
        return !step.isEmpty() && step.length() < 9 && step.chars().allMatch(Character::isDigit);
    }

    private static Target target(ActionRow row) {
        return row.action().target();
    }
}

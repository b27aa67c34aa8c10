package io.useractions.processor.tables;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.useractions.model.Target;
import io.useractions.processor.projection.ActionField;
import io.useractions.processor.projection.ActionRow;
import io.useractions.processor.projection.ProjectedTable;

/**
 * The fields of an action a declared column can take its value from ({@code from:}), with their types:
 * the action's own fields ({@link ActionField}, written as the core tables write them), and
 * {@code target.attrs.NAME} and {@code data.PATH} (dots go down into objects, a number picks an array
 * element), text unless the declaration gives a type.
 */
final class ActionFields {
    /** A field's type, and how a column of a given type writes it. */
    record Field(SqlType type, Function<SqlType, ProjectedTable.Value> writer) {
    }

    private ActionFields() {
    }

    /** The field {@code from} names, if it is one; {@code data.PATH} and {@code target.attrs.NAME} default to text. */
    static Optional<Field> named(String from) {
        Optional<ActionField> field = ActionField.named(from);
        if (field.isPresent()) {
            ProjectedTable.Value value = field.get().value();
            return Optional.of(new Field(SqlType.named(field.get().type()).orElseThrow(), type -> value));
        }
        if (from.startsWith("data.") && from.length() > 5 && !from.endsWith(".") && !from.contains("..")) {
            List<String> path = List.of(from.substring(5).split("\\."));
            return Optional.of(converted(row -> at(row.action().data(), path)));
        }
        if (from.startsWith("target.attrs.") && from.length() > 13) {
            String attribute = from.substring(13);
            return Optional.of(converted(row -> {
                Target target = row.action().target();
                return target == null || target.attrs() == null ? null : target.attrs().get(attribute);
            }));
        }
        return Optional.empty();
    }

    /** What a declaration may name. */
    static String names() {
        return Arrays.stream(ActionField.values()).map(ActionField::fieldName).collect(Collectors.joining(", "))
                + ", data.PATH, target.attrs.NAME";
    }

    /** A value of the action's data, text unless the column's type converts it ({@link SqlType#write}). */
    private static Field converted(Function<ActionRow, Object> value) {
        return new Field(SqlType.TEXT, type -> type.of(value));
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

}

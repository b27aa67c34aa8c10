package io.useractions.model;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Typed, path-aware reads of one JSON object. Every failure names the full JSON path of the field, so
 * an HTTP error or a dead-letter header can say exactly what was wrong.
 */
final class JsonFields {
    /** Epoch milliseconds up to the year 9999. */
    static final long MAX_EPOCH_MS = 253_402_300_799_999L;
    /** Characters of a UUID in its 8-4-4-4-12 form. */
    static final int UUID_CHARS = 36;


    private final ObjectNode node;
    private final String path;

    private JsonFields(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static JsonFields of(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new ValidationException(path, "must be a JSON object");
        }
        return new JsonFields((ObjectNode) node, path);
    }

    ObjectNode node() {
        return node;
    }

    String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    void rejectUnknown(Set<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ValidationException(path(name), "unknown field (custom values belong in data)");
            }
        }
    }

    JsonNode present(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    String requiredString(String name, int maxLength, Predicate<String> format, String formatHint) {
        String value = optionalString(name, maxLength, format, formatHint);
        if (value == null) {
            throw new ValidationException(path(name), "is required");
        }
        return value;
    }

    String optionalString(String name, int maxLength, Predicate<String> format, String formatHint) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ValidationException(path(name), "must be a string");
        }
        String text = value.textValue();
        if (text.isEmpty()) {
            throw new ValidationException(path(name), "must not be empty");
        }
        if (text.length() > maxLength) {
            throw ValidationException.tooLarge(path(name), "is longer than " + maxLength + " characters");
        }
        checkText(text, path(name));
        if (format != null && !format.test(text)) {
            throw new ValidationException(path(name), "must be " + formatHint);
        }
        return text;
    }

    UUID requiredUuid(String name) {
        String text = requiredString(name, UUID_CHARS, TextFormats.UUID, "a UUID (8-4-4-4-12 hex digits)");
        return UUID.fromString(text);
    }

    long requiredLong(String name, long min, long max, String meaning) {
        Long value = optionalLong(name, min, max, meaning);
        if (value == null) {
            throw new ValidationException(path(name), "is required");
        }
        return value;
    }

    Long optionalLong(String name, long min, long max, String meaning) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new ValidationException(path(name), "must be an integer (" + meaning + ")");
        }
        long number = value.longValue();
        if (number < min || number > max) {
            throw new ValidationException(path(name), "must be between " + min + " and " + max + " (" + meaning + ")");
        }
        return number;
    }

    Integer optionalInt(String name, int min, int max, String meaning) {
        Long value = optionalLong(name, min, max, meaning);
        return value == null ? null : value.intValue();
    }

    Double optionalDouble(String name, double min, double max) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw new ValidationException(path(name), "must be a number");
        }
        double number = value.doubleValue();
        if (!Double.isFinite(number) || number < min || number > max) {
            throw new ValidationException(path(name), "must be a finite number between " + min + " and " + max);
        }
        return number;
    }

    ObjectNode optionalObject(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw new ValidationException(path(name), "must be a JSON object");
        }
        return (ObjectNode) value;
    }

    /**
     * PostgreSQL cannot store U+0000 in text or jsonb, and a lone surrogate is not valid Unicode: either
     * would stall the projection, so both are refused at the door.
     */
    static void checkText(String text, String path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw new ValidationException(path, "must not contain the NUL character (U+0000)");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new ValidationException(path, "contains a lone surrogate (invalid Unicode)");
            }
            if (Character.isLowSurrogate(c)) {
                throw new ValidationException(path, "contains a lone surrogate (invalid Unicode)");
            }
        }
    }

    /** Checks free-form JSON: depth, and every key and string value as {@link #checkText}. */
    static void checkFreeForm(JsonNode value, String path, int depth, int maxDepth) {
        if (value.isContainerNode() && depth > maxDepth) {
            throw new ValidationException(path, "is nested deeper than " + maxDepth + " levels");
        }
        if (value.isTextual()) {
            checkText(value.textValue(), path);
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String childPath = path + "." + field.getKey();
                checkText(field.getKey(), childPath);
                checkFreeForm(field.getValue(), childPath, depth + 1, maxDepth);
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                checkFreeForm(value.get(i), path + "[" + i + "]", depth + 1, maxDepth);
            }
        } else if (value.isNumber() && (value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
            throw new ValidationException(path, "must be a finite number");
        }
    }
}

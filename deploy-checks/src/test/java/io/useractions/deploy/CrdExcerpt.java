package io.useractions.deploy;

import static io.useractions.deploy.Yamls.list;
import static io.useractions.deploy.Yamls.map;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates an object against a vendored excerpt of a CRD's structural schema (openAPIV3Schema):
 * types (no coercion), properties, required, enum, minimum, pattern, items, additionalProperties and
 * x-kubernetes-int-or-string. A field the excerpt does not list fails, as the API server prunes or
 * rejects a field its CRD does not list, unless the node preserves unknown fields.
 */
final class CrdExcerpt {
    private final String source;
    private final Map<String, Object> schema;

    private CrdExcerpt(String source, Map<String, Object> schema) {
        this.source = source;
        this.schema = schema;
    }

    static CrdExcerpt load(String resource) {
        try (InputStream in = CrdExcerpt.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no schema excerpt " + resource);
            }
            return new CrdExcerpt(resource, Yamls.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> validate(Map<String, Object> object) {
        List<String> problems = new ArrayList<>();
        node(object, schema, "", problems);
        return problems;
    }

    private void node(Object value, Map<String, Object> schema, String path, List<String> problems) {
        String at = path.isEmpty() ? "." : path;
        if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
            if (!(value instanceof Integer || value instanceof Long || value instanceof String)) {
                problems.add(at + " must be an integer or a string");
            } else if (value instanceof String s && schema.get("pattern") != null && !Pattern.compile(String.valueOf(schema.get("pattern"))).matcher(s).find()) {
                problems.add(at + " " + s + " is not a quantity");
            }
            return;
        }
        String type = String.valueOf(schema.get("type"));
        switch (type) {
            case "object" -> {
                if (!(value instanceof Map<?, ?>)) {
                    problems.add(at + " must be an object");
                    return;
                }
                Map<String, Object> fields = map(value);
                for (Object required : list(schema.get("required"))) {
                    if (!fields.containsKey(String.valueOf(required))) {
                        problems.add(at + " needs the field " + required);
                    }
                }
                Map<String, Object> properties = map(schema.get("properties"));
                Object additional = schema.get("additionalProperties");
                boolean preserve = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"));
                fields.forEach((name, field) -> {
                    if (properties.containsKey(name)) {
                        node(field, map(properties.get(name)), path + "." + name, problems);
                    } else if (additional instanceof Map<?, ?>) {
                        node(field, map(additional), path + "." + name, problems);
                    } else if (!preserve) {
                        problems.add("unknown field " + path + "." + name + " (not in the CRD excerpt " + source + ")");
                    }
                });
            }
            case "array" -> {
                if (!(value instanceof List<?> items)) {
                    problems.add(at + " must be an array");
                    return;
                }
                for (int i = 0; i < items.size(); i++) {
                    node(items.get(i), map(schema.get("items")), path + "[" + i + "]", problems);
                }
            }
            case "string" -> {
                if (!(value instanceof String s)) {
                    problems.add(at + " must be a string, not " + value);
                } else if (schema.get("pattern") != null && !Pattern.compile(String.valueOf(schema.get("pattern"))).matcher(s).find()) {
                    problems.add(at + " " + s + " does not match " + schema.get("pattern"));
                }
            }
            case "integer" -> {
                if (!(value instanceof Integer || value instanceof Long)) {
                    problems.add(at + " must be an integer, not " + value);
                } else if (schema.get("minimum") instanceof Integer min && ((Number) value).longValue() < min) {
                    problems.add(at + " " + value + " is below the minimum " + min);
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean)) {
                    problems.add(at + " must be true or false, not " + value);
                }
            }
            default -> problems.add(at + ": the excerpt has no type here");
        }
        List<Object> allowed = list(schema.get("enum"));
        if (!allowed.isEmpty() && !allowed.contains(value)) {
            problems.add(at + " " + value + " is not one of " + allowed);
        }
    }
}

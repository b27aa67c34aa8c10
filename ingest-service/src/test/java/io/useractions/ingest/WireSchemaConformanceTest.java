package io.useractions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.regex.RegularExpressionFactory;

import io.smallrye.config.WithDefault;
import io.useractions.model.corpus.BadInputCorpus;
import io.useractions.model.corpus.SampleBatches;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.BatchParser;
import io.useractions.model.RawRecords;
import io.useractions.model.Limits;
import io.useractions.model.ValidationException;

/**
 * The published contract, docs/wire-format-v1.schema.json, against the service it describes: a body the
 * service takes, the schema takes; a body the schema refuses, the service refuses. A body that the
 * service refuses and the schema takes must break one of the rules beyond the schema listed in
 * docs/wire-format-v1.md, and each of those rules must show here, so a new gap, a limit changed on one
 * side only, or a listed rule that no longer holds fails this test. It lives here, not in model, because
 * the bad-input corpus (local-infra) depends on model.
 */
class WireSchemaConformanceTest {
    /** "Rules beyond the schema" in docs/wire-format-v1.md. */
    enum Beyond {
        BODY_BYTES, ACTION_BYTES, UNIQUE_IDS, REPEATED_NAMES, INTEGER_LITERALS, UTF16_LENGTH, NUMBER_LENGTH
    }

    /** A body, and the rule beyond the schema it may break; with none, the schema must judge it as the service does. */
    private record Case(String name, byte[] body, Beyond beyond) {
    }

    private static final Path DOCS = Path.of("../docs");

    /** The service's defaults, which the schema states. */
    private static final int MAX_BODY_BYTES = defaultOf("maxBodyBytes");
    private static final Limits LIMITS = new Limits(defaultOf("maxActions"), defaultOf("maxActionBytes"),
            defaultOf("maxDataDepth"));
    private static final BatchParser PARSER = new BatchParser(LIMITS);
    private static final long RECEIVED_AT = 1764412800456L;

    /**
     * JSON as a schema validator sees it: one value, a repeated name's last value, and numbers as written
     * (1e400 stays 1e400 rather than becoming Infinity).
     */
    private static final JsonMapper DATA_MODEL = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /**
     * The schema's patterns are ECMA-262, where {@code $} (without the m flag) is the end of the text;
     * java.util.regex's {@code $} also matches before a final line break, which would let "demo\n" pass.
     */
    private static final RegularExpressionFactory ECMA_END = regex -> {
        Pattern pattern = Pattern.compile(regex.replace("$", "\\z"));
        return value -> pattern.matcher(value).find();
    };

    private static final JsonNode SCHEMA_JSON = read(DOCS.resolve("wire-format-v1.schema.json"));
    // losslessNarrowing: 2020-12 counts 1.0 as an integer.
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SCHEMA_JSON, SchemaValidatorsConfig.builder().regularExpressionFactory(ECMA_END)
                    .losslessNarrowing(true).build());

    private static final String ID = "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01";

    @Test
    void schemaIsAValidDraft2020_12Schema() {
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of(SchemaId.V202012));
        assertEquals(Set.of(), meta.validate(SCHEMA_JSON));
    }

    @Test
    void documentedExampleAndSampleBatchesAreTakenByBoth() {
        List<byte[]> bodies = new ArrayList<>(List.of(render(documentedExample())));
        for (int n : new int[] { 1, 7, LIMITS.maxActions() }) {
            bodies.add(utf8(SampleBatches.batch(UUID.randomUUID().toString(), SampleBatches.ids(n))));
        }
        for (byte[] body : bodies) {
            String text = new String(body, StandardCharsets.UTF_8);
            String start = text.substring(0, Math.min(300, text.length()));
            assertTrue(serviceTakes(body), start);
            assertEquals(Set.of(), SCHEMA.validate(read(body)), start);
        }
    }

    @Test
    void badInputCorpusGetsTheSameVerdictSaveForTheRulesBeyondTheSchema() {
        Map<String, Beyond> beyond = Map.of(
                "duplicate ids in one batch", Beyond.UNIQUE_IDS,
                "duplicate key", Beyond.REPEATED_NAMES,
                "duplicate key inside data", Beyond.REPEATED_NAMES,
                "10k-element array in data", Beyond.ACTION_BYTES,
                "oversized action", Beyond.ACTION_BYTES);
        List<Case> cases = new ArrayList<>();
        for (BadInputCorpus.Case c : BadInputCorpus.create().cases()) {
            cases.add(new Case(c.name(), c.body(), beyond.get(c.name())));
            if (c.status() == 400 || c.status() == 413) {
                assertFalse(serviceTakes(c.body()), c.name() + " is answered " + c.status() + " but taken here");
            }
        }
        Map<String, Beyond> gaps = compare(cases);
        assertEquals(beyond, gaps);
    }

    @Test
    void mutationsGetTheSameVerdictSaveForTheRulesBeyondTheSchema() {
        List<Case> cases = mutations();
        Map<String, Beyond> gaps = compare(cases);
        assertEquals(EnumSet.allOf(Beyond.class), EnumSet.copyOf(gaps.values()),
                "every rule beyond the schema is shown by some mutation");
        long taken = cases.stream().filter(c -> serviceTakes(c.body())).count();
        assertTrue(taken > cases.size() / 10 && cases.size() - taken > cases.size() / 10,
                taken + " of " + cases.size() + " taken: too few of one verdict to say much");
    }

    /**
     * Asserts that the schema and the service agree on every case, except where the service refuses what
     * the schema takes by a rule the case may break. Returns those cases, with their rule.
     */
    private static Map<String, Beyond> compare(List<Case> cases) {
        Map<String, Beyond> gaps = new TreeMap<>();
        SoftAssertions softly = new SoftAssertions();
        for (Case c : cases) {
            boolean service = serviceTakes(c.body());
            boolean schema = schemaTakes(c.body());
            if (!service && schema && c.beyond() != null) {
                gaps.put(c.name(), c.beyond());
            } else {
                softly.assertThat(schema).as("%s: whether the schema takes what the service %s", c.name(),
                        service ? "takes" : "refuses").isEqualTo(service);
            }
        }
        softly.assertAll();
        return gaps;
    }

    /** What POST /v1/batches checks of a body before it produces anything: its size, the batch, each record. */
    private static boolean serviceTakes(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            return false;
        }
        try {
            RawRecords.encode(PARSER.parse(body), RECEIVED_AT, LIMITS);
            return true;
        } catch (ValidationException e) {
            return false;
        }
    }

    private static boolean schemaTakes(byte[] body) {
        JsonNode json;
        try {
            json = DATA_MODEL.readTree(body);
        } catch (IOException e) {
            return false; // not one JSON text: nothing a schema could take
        }
        return !json.isMissingNode() && SCHEMA.validate(json).isEmpty();
    }

    // ---- the mutations: each member of the documented example given values in and out of its rule ----

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The objects of a batch, by JSON pointer into the example, with the schema of each. */
    private static final Map<String, String> OBJECTS = Map.of(
            "", "",
            "/context", "/$defs/context",
            "/actions/0", "/$defs/action",
            "/actions/0/target", "/$defs/target");

    private static final List<JsonNode> ODD_VALUES = List.of(NODES.textNode("x"), NODES.textNode(""),
            NODES.textNode("A B"), NODES.textNode("x\n"), NODES.textNode("a\u0000b"), NODES.textNode("\ud800"),
            NODES.textNode("x\udc00"), NODES.textNode("é😀"), NODES.textNode(ID.toUpperCase()),
            NODES.textNode(ID.replace('1', 'g')), NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(10),
            NODES.numberNode(new BigDecimal("1.5")), NODES.booleanNode(true), NODES.arrayNode(), NODES.objectNode(),
            NODES.objectNode().put("a", 1));

    private static List<Case> mutations() {
        List<Case> cases = new ArrayList<>();
        ObjectNode example = documentedExample();
        Mutator m = (name, beyond, change) -> {
            ObjectNode batch = example.deepCopy();
            change.accept(batch);
            cases.add(new Case(name, render(batch), beyond));
        };
        OBJECTS.forEach((pointer, schemaPointer) -> {
            m.add(pointer + "/zz (unknown)", null, b -> object(b, pointer).put("zz", 1));
            for (Map.Entry<String, JsonNode> p : SCHEMA_JSON.at(schemaPointer + "/properties").properties()) {
                memberMutations(m, pointer, p.getKey(), p.getValue());
            }
        });

        m.add("actions: the most", null, b -> b.set("actions", actions(LIMITS.maxActions())));
        m.add("actions: one too many", null, b -> b.set("actions", actions(LIMITS.maxActions() + 1)));
        m.add("actions: an id twice, in other case", Beyond.UNIQUE_IDS, b -> ((ArrayNode) b.get("actions"))
                .add(object(b, "/actions/0").deepCopy().put("id", ID.toUpperCase()).put("seq", 2)));
        m.add("data: deepest", null, b -> data(b).set("a", nested(LIMITS.maxDataDepth() - 1, false)));
        m.add("data: too deep", null, b -> data(b).set("a", nested(LIMITS.maxDataDepth(), false)));
        m.add("data: deepest arrays", null, b -> data(b).set("a", nested(LIMITS.maxDataDepth() - 1, true)));
        m.add("data: arrays too deep", null, b -> data(b).set("a", nested(LIMITS.maxDataDepth(), true)));
        m.add("data: NUL deep in a string", null, b -> data(b).putArray("a").addArray().add("a\u0000"));
        m.add("data: NUL in a key", null, b -> data(b).put("a\u0000", 1));
        m.add("data: lone surrogate in a nested key", null, b -> data(b).putObject("a").put("\udbff", 1));
        m.add("data: empty key", null, b -> data(b).put("", 1));
        m.add("data: big finite number", null, b -> data(b).putRawValue("n", new RawValue("-1.7e308")));
        m.add("data: number beyond a double", null, b -> data(b).putRawValue("n", new RawValue("1e400")));
        m.add("data: a number of 65 digits", Beyond.NUMBER_LENGTH,
                b -> data(b).putRawValue("n", new RawValue("1." + "0".repeat(64))));
        m.add("data: a record over the action limit", Beyond.ACTION_BYTES,
                b -> data(b).put("big", "x".repeat(LIMITS.maxActionBytes())));
        int maxAttrs = SCHEMA_JSON.at("/$defs/target/properties/attrs/maxProperties").intValue();
        m.add("attrs: the most", null, b -> attrs(b, maxAttrs));
        m.add("attrs: one too many", null, b -> attrs(b, maxAttrs + 1));
        m.add("attrs: empty name", null, b -> attrs(b, 1).put("", "v"));
        m.add("attrs: NUL in a name", null, b -> attrs(b, 1).put("\u0000", "v"));

        String text = new String(render(example), StandardCharsets.UTF_8);
        cases.add(new Case("body: over the limit in trailing spaces", utf8(text + " ".repeat(MAX_BODY_BYTES)),
                Beyond.BODY_BYTES));
        cases.add(new Case("a name twice", utf8(text.replaceFirst("\\{", "{\"study\":\"x\",")), Beyond.REPEATED_NAMES));
        return cases;
    }

    @FunctionalInterface
    private interface Mutator {
        void add(String name, Beyond beyond, Consumer<ObjectNode> change);
    }

    /** One member: removed, null, odd values, and each limit its schema states, met and passed. */
    private static void memberMutations(Mutator m, String pointer, String name, JsonNode schema) {
        String at = pointer + "/" + name;
        m.add(at + " removed", null, b -> object(b, pointer).remove(name));
        for (JsonNode value : prepend(NODES.nullNode(), ODD_VALUES)) {
            m.add(at + " = " + shorten(value), null, b -> object(b, pointer).set(name, value));
        }
        JsonNode maxLength = keyword(schema, "maxLength");
        if (maxLength != null) {
            int max = maxLength.intValue();
            m.add(at + ": " + max + " characters", null, b -> object(b, pointer).put(name, "a".repeat(max)));
            m.add(at + ": " + (max + 1) + " characters", null, b -> object(b, pointer).put(name, "a".repeat(max + 1)));
            // max / 2 + 1 code points, but more UTF-16 code units than max
            m.add(at + ": astral characters", Beyond.UTF16_LENGTH,
                    b -> object(b, pointer).put(name, "😀".repeat(max / 2 + 1)));
        }
        String type = String.valueOf(keyword(schema, "type"));
        JsonNode minimum = keyword(schema, "minimum");
        JsonNode maximum = keyword(schema, "maximum");
        if (minimum != null && maximum != null && (type.contains("number") || type.contains("integer"))) {
            boolean integer = type.contains("integer");
            BigDecimal step = integer ? BigDecimal.ONE : new BigDecimal("0.5");
            BigDecimal min = minimum.decimalValue();
            BigDecimal max = maximum.decimalValue();
            for (BigDecimal value : List.of(min, max, min.subtract(step), max.add(step))) {
                m.add(at + " = " + value.toPlainString(), null, b -> object(b, pointer).put(name, value));
            }
            if (integer) {
                m.add(at + " = " + max.toPlainString() + ".0", Beyond.INTEGER_LITERALS,
                        b -> object(b, pointer).putRawValue(name, new RawValue(max.toBigInteger() + ".0")));
                m.add(at + " = 1e1", Beyond.INTEGER_LITERALS,
                        b -> object(b, pointer).putRawValue(name, new RawValue("1e1")));
            } else {
                m.add(at + " = 1 in 65 digits", Beyond.NUMBER_LENGTH,
                        b -> object(b, pointer).putRawValue(name, new RawValue("1." + "0".repeat(64))));
            }
        }
    }

    private static List<JsonNode> prepend(JsonNode first, List<JsonNode> rest) {
        List<JsonNode> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** A keyword of a member's schema, looked up through its $ref. */
    private static JsonNode keyword(JsonNode schema, String name) {
        if (schema.has(name)) {
            return schema.get(name);
        }
        JsonNode ref = schema.get("$ref");
        return ref == null ? null : keyword(SCHEMA_JSON.at(ref.textValue().substring(1)), name);
    }

    private static ObjectNode object(ObjectNode batch, String pointer) {
        return (ObjectNode) batch.at(pointer);
    }

    private static ObjectNode data(ObjectNode batch) {
        return object(batch, "/actions/0").putObject("data");
    }

    private static ObjectNode attrs(ObjectNode batch, int entries) {
        ObjectNode attrs = object(batch, "/actions/0/target").putObject("attrs");
        for (int i = 0; i < entries; i++) {
            attrs.put("data-" + i, "v");
        }
        return attrs;
    }

    /** {@code levels} containers, one inside the other: arrays, or objects whose member "a" holds the next. */
    private static JsonNode nested(int levels, boolean arrays) {
        JsonNode inner = arrays ? NODES.arrayNode() : NODES.objectNode();
        for (int i = 1; i < levels; i++) {
            inner = arrays ? NODES.arrayNode().add(inner) : NODES.objectNode().set("a", inner);
        }
        return inner;
    }

    private static ArrayNode actions(int n) {
        ArrayNode actions = NODES.arrayNode();
        for (int i = 0; i < n; i++) {
            actions.addObject().put("id", UUID.randomUUID().toString()).put("seq", i).put("type", "click")
                    .put("t", 1764412800000L + i);
        }
        return actions;
    }

    /** The example of docs/wire-format-v1.md, which sets every member. */
    private static ObjectNode documentedExample() {
        try {
            String doc = Files.readString(DOCS.resolve("wire-format-v1.md"));
            Matcher json = Pattern.compile("(?s)```json\n(.*?)```").matcher(doc);
            assertTrue(json.find(), "wire-format-v1.md has no JSON example");
            return (ObjectNode) DATA_MODEL.readTree(json.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int defaultOf(String setting) {
        try {
            return Integer.parseInt(IngestConfig.class.getMethod(setting).getAnnotation(WithDefault.class).value());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(byte[] json) {
        try {
            return DATA_MODEL.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** UTF-8 JSON, with a lone surrogate written as its escape (UTF-8 has no way to say it). */
    private static byte[] render(JsonNode json) {
        String text;
        try {
            text = DATA_MODEL.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return utf8(out.toString());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String shorten(JsonNode value) {
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "... (" + text.length() + ")";
    }
}

package io.useractions.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntPredicate;

import org.junit.jupiter.api.Test;

/**
 * The reader either reads a value or refuses with a {@link ValidationException} that names a field of
 * the input; nothing else escapes it. Random valid records (v1 and v2) and batches, and tens of thousands
 * of mutations of them (a member set to a value of another type, out of range, too long, with NUL or a
 * lone surrogate; removed; repeated; unknown; the text cut or spliced), must get one of those verdicts,
 * both verdicts often, and a valid input must read back the same after writing it as a v2 record.
 */
class WireReaderTest {
    /** A JSON object as a list of members, so that a name can repeat. */
    private record Obj(List<Object[]> members) {
        Obj() {
            this(new ArrayList<>());
        }

        Obj put(String name, Object value) {
            members.add(new Object[] { name, value });
            return this;
        }
    }

    /** JSON text written as it is: number spellings that Java values would normalise. */
    private record Raw(String json) {
    }

    private static final Object[] ODD_VALUES = { null, "", "x", " ", "A B", "a\u0000b", "\ud800", "\udc00x", "é😀",
            new Raw("1.5"), new Raw("-1"), new Raw("0"), new Raw("1e400"), new Raw("-0.0"), new Raw("1E3"),
            new Raw("12345678901234567890123"), new Raw("9007199254740992"), new Raw("9007199254740993"),
            new Raw("253402300799999"), new Raw("253402300800000"), new Raw("100000"), new Raw("100001"),
            new Raw("10000000"), new Raw("10000001"), new Raw("1440"), new Raw("-1441"), new Raw("64"),
            new Raw("64.0001"), new Raw("1e12"), new Raw("1.0000001e12"), true, false, List.of(), List.of(1),
            new Obj(), new Obj().put("a", 1), "x".repeat(36), "x".repeat(37), "x".repeat(64), "x".repeat(65),
            "x".repeat(128), "x".repeat(129), "y".repeat(4096), "y".repeat(4097),
            "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01", "0B6C3C1E-8A4F-4A53-9D3E-2F1F6F7C0A01",
            "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a0", "g b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01", "click", "1click",
            "a:b.c-d_e", "s-1:2.3", "s/1" };

    private final Random random = new Random(20261129);

    @Test
    void validRecordsOfBothVersionsAreRead() {
        for (int i = 0; i < 3_000; i++) {
            Obj record = envelope();
            assertTrue(verdict(render(record)), render(record));
            assertTrue(verdict(render(asV2(record))), render(asV2(record)));
        }
    }

    @Test
    void everyMutationGetsAVerdictThatNamesAField() {
        assertBothVerdictsOften(40_000, i -> {
            Obj record = envelope();
            if (i % 2 == 0) {
                record = asV2(record);
            }
            mutate(record);
            return verdict(render(record));
        });
    }

    /**
     * Runs {@code trials}, each returning whether its input was valid. Both verdicts must occur in at
     * least a tenth of them, or the comparison would say little.
     */
    private static void assertBothVerdictsOften(int trials, IntPredicate trial) {
        int accepted = 0;
        for (int i = 0; i < trials; i++) {
            if (trial.test(i)) {
                accepted++;
            }
        }
        int refused = trials - accepted;
        assertTrue(accepted > trials / 10 && refused > trials / 10, accepted + " accepted, " + refused + " refused");
    }

    @Test
    void cutAndSplicedTextGetsAVerdict() {
        String alphabet = "{}[],:\"\\ 0a-e.nul";
        for (int i = 0; i < 10_000; i++) {
            StringBuilder json = new StringBuilder(render(envelope()));
            int at = random.nextInt(json.length());
            switch (random.nextInt(3)) {
                case 0 -> json.deleteCharAt(at);
                case 1 -> json.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                default -> json.setLength(at);
            }
            verdict(json.toString());
        }
    }

    @Test
    void nothingAndTrailingTokensAreRefused() {
        assertEquals("the record has no value", refusal(null).getMessage());
        assertEquals("the request body is empty", refusal(new byte[0]).getMessage());
        String valid = render(envelope());
        assertTrue(refusal(bytes(valid + " {}")).getMessage().contains("Trailing token"));
        assertEquals("must be a JSON object", refusal(bytes("[" + valid + "]")).getMessage());
    }

    private static ValidationException refusal(byte[] value) {
        try {
            RawRecords.decode(value, Limits.DEFAULT);
        } catch (ValidationException e) {
            return e;
        }
        return fail("accepted " + (value == null ? null : new String(value, StandardCharsets.UTF_8)));
    }

    /** A v1 record as v2: the same envelope with its action in an array. */
    private Obj asV2(Obj v1) {
        Obj v2 = new Obj();
        for (Object[] member : v1.members()) {
            switch ((String) member[0]) {
                case "v" -> v2.put("v", 2);
                case "action" -> v2.put("actions", random.nextBoolean() ? List.of(member[1])
                        : List.of(member[1], action()));
                default -> v2.put((String) member[0], member[1]);
            }
        }
        return v2;
    }

    /**
     * Reads a record: when valid, its v2 encoding reads back the same (returns true); when refused, the
     * exception names a field that is in the text, or none for malformed JSON (returns false).
     */
    private static boolean verdict(String json) {
        RawRecord read;
        try {
            read = RawRecords.decode(bytes(json), Limits.DEFAULT);
        } catch (ValidationException e) {
            assertNamesAFieldOf(json, e);
            return false;
        } catch (RuntimeException e) {
            return fail("the reader threw " + e + " for " + json);
        }
        Batch batch = new Batch(read.study(), read.participant(), read.session(), read.condition(), read.sentAt(),
                read.context(), read.actions());
        List<byte[]> written = RawRecords.encode(batch, read.receivedAt());
        assertEquals(1, written.size());
        RawRecord again = RawRecords.decode(written.get(0), Limits.DEFAULT);
        assertEquals(new RawRecord(RawRecord.V2, read.study(), read.participant(), read.session(), read.condition(),
                read.sentAt(), read.receivedAt(), read.context(), read.actions()), again, json);
        assertEquals(again, RawRecords.decodeValidated(written.get(0)), json);
        return true;
    }

    /** The last name of the exception's field path is a member name in the text; malformed JSON names none. */
    private static void assertNamesAFieldOf(String json, ValidationException e) {
        String field = e.field();
        if (field.isEmpty() && !e.getMessage().equals(WireReader.UNKNOWN)) {
            assertTrue(e.getMessage().startsWith("malformed JSON") || e.getMessage().startsWith("must be a JSON object")
                    || e.getMessage().startsWith("the request body is empty"), e.getMessage());
            return;
        }
        String last = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[\\d+\\]$", "");
        if (e.getMessage().endsWith("is required") || e.getMessage().endsWith("must be given together") || !last.chars().allMatch(c -> c >= 0x20 && c != '"' && c != '\\'
                && !Character.isSurrogate((char) c))) {
            return; // absent, or a name that the text spells with escapes
        }
        assertTrue(json.contains("\"" + last + "\"") || json.contains(last), field + " not in " + json);
    }

    /** Returns whether the batch is valid; a valid batch's byte spans hold its actions. */
    private static boolean batchVerdict(String json) {
        Batch batch;
        try {
            batch = new BatchParser(new Limits(4, 16 * 1024, 8)).parse(bytes(json));
        } catch (ValidationException e) {
            assertNamesAFieldOf(json, e);
            return false;
        } catch (RuntimeException e) {
            return fail("the reader threw " + e + " for " + json);
        }
        assertEquals(batch.actions().size(), batch.raw().starts().length);
        for (int i = 0; i < batch.actions().size(); i++) {
            String span = new String(batch.raw().body(), batch.raw().starts()[i], batch.raw().length(i),
                    StandardCharsets.UTF_8);
            Batch one = new BatchParser(Limits.DEFAULT).parse(bytes(
                    "{\"study\":\"s\",\"participant\":\"p\",\"session\":\"s\",\"sent_at\":1,\"actions\":[" + span + "]}"));
            assertEquals(batch.actions().get(i), one.actions().get(0), span);
        }
        return true;
    }

    @Test
    void batchesAndTheirMutationsGetAVerdict() {
        assertBothVerdictsOften(20_000, i -> {
            Obj batch = batch();
            if (i % 10 != 0) {
                mutate(batch);
            }
            return batchVerdict(render(batch));
        });
        String valid = render(batch());
        assertTrue(batchVerdict(valid), valid);
        Batch parsed = new BatchParser(Limits.DEFAULT).parse(bytes(valid));
        assertEquals(parsed.actions().size(), parsed.raw().starts().length);
    }

    /** A batch of 1-5 actions (the test's limit is 4 a batch, so some are too many); ids may repeat. */
    private Obj batch() {
        Obj envelope = envelope();
        Obj batch = new Obj();
        for (Object[] member : envelope.members()) {
            String name = (String) member[0];
            if (!name.equals("v") && !name.equals("received_at") && !name.equals("action")) {
                batch.put(name, member[1]);
            }
        }
        List<Object> actions = new ArrayList<>();
        int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            actions.add(random.nextInt(40) == 0 && i > 0 ? actions.get(0) : action());
        }
        batch.put("actions", random.nextInt(50) == 0 ? List.of() : actions);
        shuffle(batch);
        return batch;
    }

    private Obj envelope() {
        Obj envelope = new Obj().put("v", 1).put("study", pick("demo", "bench", "s.1_x-2"))
                .put("participant", pick("p-001", "Ünïcødé 😀", "quote \" and \\ slash")).put("session", pick("s-1", "a:b.c", UUID.randomUUID().toString()))
                .put("sent_at", random.nextLong(0, WireReader.MAX_EPOCH_MS)).put("received_at", 1764412800123L);
        if (random.nextBoolean()) {
            envelope.put("condition", pick("A", null, "large targets"));
        }
        if (random.nextInt(3) > 0) {
            envelope.put("context", random.nextInt(5) == 0 ? null : new Obj().put("user_agent", "Mozilla/5.0")
                    .put("screen_w", 1920).put("screen_h", null).put("dpr", pick(1, new Raw("1.25"), new Raw("2e0")))
                    .put("language", "en-GB").put("timezone", "Europe/Berlin").put("tz_offset_min", -60));
        }
        envelope.put("action", action());
        shuffle(envelope);
        return envelope;
    }

    private Obj action() {
        UUID id = UUID.randomUUID();
        Obj action = new Obj().put("id", random.nextBoolean() ? id.toString() : id.toString().toUpperCase())
                .put("seq", random.nextLong(0, WireReader.MAX_SEQ)).put("type", pick("pointermove", "click", "trial:end"))
                .put("t", 1764412800000L + random.nextInt(1000));
        if (random.nextBoolean()) {
            Object x = pick(12, new Raw("-0.0"), new Raw("1E3"), 640.5);
            action.put("x", x).put("y", pick(3, new Raw("4.25"), 7));
        }
        if (random.nextBoolean()) {
            action.put("page_x", 10.5).put("page_y", pick(11, null)).put("screen_x", 1).put("screen_y", new Raw("2.0"));
        }
        if (random.nextBoolean()) {
            action.put("t_mono", pick(0, new Raw("1234.5"), null)).put("url", pick("https://study.example.org/a?b=c", null))
                    .put("vw", 1280).put("vh", pick(800, null));
        }
        if (random.nextInt(4) == 0) {
            action.put("target", new Obj().put("id", pick("t-1", null)).put("selector", "main > svg")
                    .put("attrs", random.nextBoolean() ? null : new Obj().put("data-trial", "3").put("aria", null)));
        }
        if (random.nextInt(3) == 0) {
            action.put("data", new Obj().put("key", "letter").put("n", List.of(1, new Raw("2.5"), "s"))
                    .put("deep", new Obj().put("k", new Obj().put("v", true))).put("big", new Raw("123456789012345678901234")));
        }
        shuffle(action);
        return action;
    }

    /** One change somewhere in the record: a member's value, a removal, a repeat or an unknown member. */
    private void mutate(Obj root) {
        List<Obj> objects = new ArrayList<>();
        collect(root, objects);
        Obj target = objects.get(random.nextInt(objects.size()));
        if (target.members().isEmpty()) {
            target.put("extra", 1);
            return;
        }
        int at = random.nextInt(target.members().size());
        Object[] member = target.members().get(at);
        switch (random.nextInt(8)) {
            case 0 -> target.members().remove(at);
            case 1 -> target.members().add(random.nextInt(target.members().size() + 1),
                    new Object[] { member[0], random.nextBoolean() ? member[1] : odd() });
            case 2 -> target.put(pick("extra", "X", "v2", "actions"), odd());
            default -> member[1] = odd();
        }
    }

    private static void collect(Object value, List<Obj> into) {
        if (value instanceof Obj obj) {
            into.add(obj);
            obj.members().forEach(member -> collect(member[1], into));
        } else if (value instanceof List<?> list) {
            list.forEach(element -> collect(element, into));
        }
    }

    private Object odd() {
        return ODD_VALUES[random.nextInt(ODD_VALUES.length)];
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private void shuffle(Obj obj) {
        java.util.Collections.shuffle(obj.members(), random);
    }

    private String render(Object value) {
        StringBuilder json = new StringBuilder(512);
        render(value, json);
        return json.toString();
    }

    private void render(Object value, StringBuilder json) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof Raw raw) {
            json.append(raw.json());
        } else if (value instanceof String text) {
            json.append('"');
            boolean escapeSurrogates = random.nextBoolean();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                } else if (c < 0x20 || Character.isSurrogate(c) && escapeSurrogates) {
                    json.append(String.format("\\u%04x", (int) c));
                } else {
                    json.append(c);
                }
            }
            json.append('"');
        } else if (value instanceof Obj obj) {
            json.append('{');
            for (int i = 0; i < obj.members().size(); i++) {
                json.append(i == 0 ? "" : random.nextInt(5) == 0 ? " ,\n " : ",");
                render(obj.members().get(i)[0], json);
                json.append(':');
                render(obj.members().get(i)[1], json);
            }
            json.append('}');
        } else if (value instanceof List<?> list) {
            json.append('[');
            for (int i = 0; i < list.size(); i++) {
                json.append(i == 0 ? "" : ",");
                render(list.get(i), json);
            }
            json.append(']');
        } else {
            json.append(value);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

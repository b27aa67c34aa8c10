package io.useractions.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a batch or a raw-topic record in one pass over the parser's tokens, without building a tree:
 * the hot path of the ingest service and of the Kafka Streams thread. It accepts exactly what the tree
 * readers ({@link BatchParser#parse(JsonNode)}, {@link EnvelopeCodec#decode}) accept and yields the same
 * values (the rare {@code target} and {@code data} members are read as trees and checked by the same
 * code), but it only says what is valid: for anything else it returns null, and the caller asks the tree
 * reader why, so every error keeps its field and message. {@code StreamingReaderTest} compares the two
 * on valid input and on tens of thousands of mutations of it.
 */
final class StreamingReader {
    private static final ObjectReader MEMBER_READER = Json.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final int V = 1, STUDY = 1 << 1, PARTICIPANT = 1 << 2, SESSION = 1 << 3, CONDITION = 1 << 4,
            SENT_AT = 1 << 5, RECEIVED_AT = 1 << 6, CONTEXT = 1 << 7, ACTION = 1 << 8, ACTIONS = 1 << 9;
    private static final int ENVELOPE_REQUIRED = V | STUDY | PARTICIPANT | SESSION | SENT_AT | RECEIVED_AT | ACTION;
    private static final int BATCH_REQUIRED = STUDY | PARTICIPANT | SESSION | SENT_AT | ACTIONS;

    private static final int ID = 1, SEQ = 1 << 1, TYPE = 1 << 2, T = 1 << 3, T_MONO = 1 << 4, URL = 1 << 5, X = 1 << 6,
            Y = 1 << 7, PAGE_X = 1 << 8, PAGE_Y = 1 << 9, SCREEN_X = 1 << 10, SCREEN_Y = 1 << 11, VW = 1 << 12,
            VH = 1 << 13, TARGET = 1 << 14, DATA = 1 << 15;
    private static final int ACTION_REQUIRED = ID | SEQ | TYPE | T;

    /** Thrown for any refusal; the tree reader then names the cause. Carries no stack. */
    private static final class Refused extends RuntimeException {
        private static final Refused INSTANCE = new Refused();

        private Refused() {
            super(null, null, false, false);
        }
    }

    /** The members a batch and an envelope share, as read so far. */
    private static final class Head {
        int seen;
        int present;
        String study;
        String participant;
        String session;
        String condition;
        long sentAt;
        long receivedAt;
        ClientContext context;
    }

    private StreamingReader() {
    }

    /** Reads the members of a root object; throws {@link Refused} (or a parser error) for anything invalid. */
    private interface Members<T> {
        T read(JsonParser p) throws IOException;
    }

    /** {@code members} read from {@code json}'s root object; null when it is anything else or refused. */
    private static <T> T onePass(byte[] json, Members<T> members) {
        if (json == null || json.length == 0) {
            return null;
        }
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            T value = members.read(p);
            return p.nextToken() == null ? value : null;
        } catch (Refused | IOException | ValidationException e) {
            return null;
        }
    }

    /** The record as {@link EnvelopeCodec#decode} reads it; null for any record that it refuses. */
    static ActionEnvelope envelope(byte[] value, Limits limits) {
        return onePass(value, p -> {
            Head head = new Head();
            Action action = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                switch (name) {
                    case "action" -> action = given(p, head, ACTION) ? action(p, limits) : null;
                    case "received_at" -> head.receivedAt = given(p, head, RECEIVED_AT)
                            ? integer(p, 0, JsonFields.MAX_EPOCH_MS) : 0;
                    case "v" -> {
                        if (given(p, head, V)) {
                            integer(p, ActionEnvelope.VERSION, ActionEnvelope.VERSION);
                        }
                    }
                    default -> member(p, name, head);
                }
            }
            required(head.present, ENVELOPE_REQUIRED);
            return new ActionEnvelope(ActionEnvelope.VERSION, head.study, head.participant, head.session,
                    head.condition, head.sentAt, head.receivedAt, head.context, action);
        });
    }

    /** The body as {@link BatchParser#parse(byte[])} reads it (with the actions' byte spans); null when it refuses it. */
    static Batch batch(byte[] body, Limits limits) {
        return onePass(body, p -> {
            Head head = new Head();
            List<Action> actions = List.of();
            int[] starts = new int[64];
            int[] ends = new int[64];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!name.equals("actions")) {
                    member(p, name, head);
                    continue;
                }
                if (!given(p, head, ACTIONS)) {
                    continue;
                }
                expect(p, JsonToken.START_ARRAY);
                actions = new ArrayList<>(64);
                Set<UUID> ids = new HashSet<>(128);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    int i = actions.size();
                    if (i == limits.maxActions()) {
                        throw Refused.INSTANCE;
                    }
                    if (i == starts.length) {
                        starts = Arrays.copyOf(starts, i * 2);
                        ends = Arrays.copyOf(ends, i * 2);
                    }
                    starts[i] = (int) p.currentTokenLocation().getByteOffset();
                    Action action = action(p, limits);
                    ends[i] = (int) p.currentLocation().getByteOffset();
                    if (!ids.add(action.id())) {
                        throw Refused.INSTANCE;
                    }
                    actions.add(action);
                }
                if (actions.isEmpty()) {
                    throw Refused.INSTANCE;
                }
            }
            required(head.present, BATCH_REQUIRED);
            int count = actions.size();
            return new Batch(head.study, head.participant, head.session, head.condition, head.sentAt, head.context,
                    List.copyOf(actions), new Batch.RawActions(body, Arrays.copyOf(starts, count), Arrays.copyOf(ends, count)));
        });
    }

    /** A member of the batch and envelope alike (the parser is on its name); anything else is refused. */
    private static void member(JsonParser p, String name, Head head) throws IOException {
        int field = switch (name) {
            case "study" -> STUDY;
            case "participant" -> PARTICIPANT;
            case "session" -> SESSION;
            case "condition" -> CONDITION;
            case "sent_at" -> SENT_AT;
            case "context" -> CONTEXT;
            default -> throw Refused.INSTANCE;
        };
        if (!given(p, head, field)) {
            return;
        }
        switch (field) {
            case STUDY -> head.study = text(p, ActionReader.MAX_STUDY, TextFormats.STUDY);
            case PARTICIPANT -> head.participant = text(p, ActionReader.MAX_NAME, TextFormats.PRINTABLE);
            case SESSION -> head.session = text(p, ActionReader.MAX_NAME, TextFormats.SESSION);
            case CONDITION -> head.condition = text(p, ActionReader.MAX_NAME, TextFormats.PRINTABLE);
            case SENT_AT -> head.sentAt = integer(p, 0, JsonFields.MAX_EPOCH_MS);
            default -> head.context = context(p);
        }
    }

    private static ClientContext context(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT);
        int seen = 0;
        String userAgent = null, language = null, timezone = null;
        Integer screenW = null, screenH = null, tzOffsetMin = null;
        Double dpr = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int field = switch (name) {
                case "user_agent" -> 1;
                case "screen_w" -> 1 << 1;
                case "screen_h" -> 1 << 2;
                case "dpr" -> 1 << 3;
                case "language" -> 1 << 4;
                case "timezone" -> 1 << 5;
                case "tz_offset_min" -> 1 << 6;
                default -> throw Refused.INSTANCE;
            };
            seen = once(seen, field);
            if (p.nextToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "user_agent" -> userAgent = text(p, ActionReader.MAX_USER_AGENT, null);
                case "screen_w" -> screenW = (int) integer(p, 0, ActionReader.MAX_PIXELS);
                case "screen_h" -> screenH = (int) integer(p, 0, ActionReader.MAX_PIXELS);
                case "dpr" -> dpr = number(p, 0, ActionReader.MAX_DPR);
                case "language" -> language = text(p, ActionReader.MAX_LOCALE, TextFormats.PRINTABLE);
                case "timezone" -> timezone = text(p, ActionReader.MAX_LOCALE, TextFormats.PRINTABLE);
                default -> tzOffsetMin = (int) integer(p, -ActionReader.MAX_TZ_OFFSET_MIN, ActionReader.MAX_TZ_OFFSET_MIN);
            }
        }
        return new ClientContext(userAgent, screenW, screenH, dpr, language, timezone, tzOffsetMin);
    }

    /** An action object (the parser is on its start); leaves the parser on its end. */
    private static Action action(JsonParser p, Limits limits) throws IOException {
        expect(p, JsonToken.START_OBJECT);
        int seen = 0;
        int present = 0;
        UUID id = null;
        long seq = 0, t = 0;
        String type = null, url = null;
        Double tMono = null, x = null, y = null, pageX = null, pageY = null, screenX = null, screenY = null;
        Integer vw = null, vh = null;
        Target target = null;
        ObjectNode data = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int field = switch (p.currentName()) {
                case "id" -> ID;
                case "seq" -> SEQ;
                case "type" -> TYPE;
                case "t" -> T;
                case "t_mono" -> T_MONO;
                case "url" -> URL;
                case "x" -> X;
                case "y" -> Y;
                case "page_x" -> PAGE_X;
                case "page_y" -> PAGE_Y;
                case "screen_x" -> SCREEN_X;
                case "screen_y" -> SCREEN_Y;
                case "vw" -> VW;
                case "vh" -> VH;
                case "target" -> TARGET;
                case "data" -> DATA;
                default -> throw Refused.INSTANCE;
            };
            seen = once(seen, field);
            if (p.nextToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            present |= field;
            switch (field) {
                case ID -> id = UUID.fromString(text(p, JsonFields.UUID_CHARS, TextFormats.UUID));
                case SEQ -> seq = integer(p, 0, ActionReader.MAX_SEQ);
                case TYPE -> type = text(p, ActionReader.MAX_TYPE, TextFormats.TYPE);
                case T -> t = integer(p, 0, JsonFields.MAX_EPOCH_MS);
                case T_MONO -> tMono = number(p, 0, ActionReader.MAX_T_MONO);
                case URL -> url = text(p, ActionReader.MAX_URL, null);
                case X -> x = coordinate(p);
                case Y -> y = coordinate(p);
                case PAGE_X -> pageX = coordinate(p);
                case PAGE_Y -> pageY = coordinate(p);
                case SCREEN_X -> screenX = coordinate(p);
                case SCREEN_Y -> screenY = coordinate(p);
                case VW -> vw = (int) integer(p, 0, ActionReader.MAX_PIXELS);
                case VH -> vh = (int) integer(p, 0, ActionReader.MAX_PIXELS);
                case TARGET -> target = ActionReader.target(object(p), "action.target");
                default -> {
                    data = object(p);
                    JsonFields.checkFreeForm(data, "action.data", 1, limits.maxDataDepth());
                }
            }
        }
        required(present, ACTION_REQUIRED);
        if ((x == null) != (y == null)) {
            throw Refused.INSTANCE;
        }
        return new Action(id, seq, type, t, tMono, url, x, y, pageX, pageY, screenX, screenY, vw, vh, target, data);
    }

    /** Marks {@code field} seen; a repeated name is malformed. */
    private static int once(int seen, int field) {
        if ((seen & field) != 0) {
            throw Refused.INSTANCE;
        }
        return seen | field;
    }

    /**
     * Marks a member of the root seen (the parser is on its name) and moves to its value; false when the
     * value is null, which counts as absent.
     */
    private static boolean given(JsonParser p, Head head, int field) throws IOException {
        head.seen = once(head.seen, field);
        if (p.nextToken() == JsonToken.VALUE_NULL) {
            return false;
        }
        head.present |= field;
        return true;
    }

    private static void required(int present, int required) {
        if ((present & required) != required) {
            throw Refused.INSTANCE;
        }
    }

    private static void expect(JsonParser p, JsonToken token) {
        if (p.currentToken() != token) {
            throw Refused.INSTANCE;
        }
    }

    private static String text(JsonParser p, int maxLength, Predicate<String> format) throws IOException {
        expect(p, JsonToken.VALUE_STRING);
        String text = p.getText();
        if (text.isEmpty() || text.length() > maxLength || (format != null && !format.test(text))) {
            throw Refused.INSTANCE;
        }
        JsonFields.checkText(text, "");
        return text;
    }

    private static long integer(JsonParser p, long min, long max) throws IOException {
        expect(p, JsonToken.VALUE_NUMBER_INT);
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw Refused.INSTANCE;
        }
        long value = p.getLongValue();
        if (value < min || value > max) {
            throw Refused.INSTANCE;
        }
        return value;
    }

    private static double number(JsonParser p, double min, double max) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw Refused.INSTANCE;
        }
        double value = p.getDoubleValue();
        if (!Double.isFinite(value) || value < min || value > max) {
            throw Refused.INSTANCE;
        }
        return value;
    }

    private static double coordinate(JsonParser p) throws IOException {
        return number(p, -ActionReader.MAX_COORDINATE, ActionReader.MAX_COORDINATE);
    }

    /** A member that is checked as a tree (duplicate names refused while it is built, as by the tree readers). */
    private static ObjectNode object(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT);
        JsonNode node = MEMBER_READER.readTree(p);
        return (ObjectNode) node;
    }
}

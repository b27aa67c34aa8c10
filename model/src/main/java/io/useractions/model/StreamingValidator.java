package io.useractions.model;

import java.io.IOException;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks a raw-topic record in one pass over the parser's tokens, without building a tree: the
 * Kafka Streams thread's hot path. It accepts exactly what {@link EnvelopeCodec#decode} accepts (the
 * rare {@code target} and {@code data} members are read as trees and checked by the same code), but it
 * only says yes or no: when it says no, the caller asks {@link EnvelopeCodec#decode} why, so every
 * error keeps the decoder's field and message. {@code StreamingValidatorTest} compares the two on
 * valid records and on many thousands of mutations of them.
 */
final class StreamingValidator {
    private static final ObjectReader MEMBER_READER = Json.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final int V = 1, STUDY = 1 << 1, PARTICIPANT = 1 << 2, SESSION = 1 << 3, CONDITION = 1 << 4,
            SENT_AT = 1 << 5, RECEIVED_AT = 1 << 6, CONTEXT = 1 << 7, ACTION = 1 << 8;
    private static final int REQUIRED = V | STUDY | PARTICIPANT | SESSION | SENT_AT | RECEIVED_AT | ACTION;

    private static final int ID = 1, SEQ = 1 << 1, TYPE = 1 << 2, T = 1 << 3, T_MONO = 1 << 4, URL = 1 << 5, X = 1 << 6,
            Y = 1 << 7, PAGE_X = 1 << 8, PAGE_Y = 1 << 9, SCREEN_X = 1 << 10, SCREEN_Y = 1 << 11, VW = 1 << 12,
            VH = 1 << 13, TARGET = 1 << 14, DATA = 1 << 15;
    private static final int ACTION_REQUIRED = ID | SEQ | TYPE | T;

    /** Thrown for any refusal; the decoder then names the cause. Carries no stack. */
    private static final class Refused extends RuntimeException {
        private static final Refused INSTANCE = new Refused();

        private Refused() {
            super(null, null, false, false);
        }
    }

    private StreamingValidator() {
    }

    /** The session of a record that {@link EnvelopeCodec#decode} accepts; null for any other record. */
    static String sessionIfValid(byte[] value, Limits limits) {
        if (value == null || value.length == 0) {
            return null;
        }
        try (JsonParser parser = Json.MAPPER.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String session = envelope(parser, limits);
            return parser.nextToken() == null ? session : null;
        } catch (Refused | IOException | ValidationException e) {
            return null;
        }
    }

    private static String envelope(JsonParser p, Limits limits) throws IOException {
        int seen = 0;
        int present = 0;
        String session = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int field = switch (p.currentName()) {
                case "v" -> V;
                case "study" -> STUDY;
                case "participant" -> PARTICIPANT;
                case "session" -> SESSION;
                case "condition" -> CONDITION;
                case "sent_at" -> SENT_AT;
                case "received_at" -> RECEIVED_AT;
                case "context" -> CONTEXT;
                case "action" -> ACTION;
                default -> throw Refused.INSTANCE;
            };
            seen = once(seen, field);
            if (p.nextToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            present |= field;
            switch (field) {
                case V -> integer(p, ActionEnvelope.VERSION, ActionEnvelope.VERSION);
                case STUDY -> text(p, ActionReader.MAX_STUDY, TextFormats.STUDY);
                case PARTICIPANT, CONDITION -> text(p, ActionReader.MAX_NAME, TextFormats.PRINTABLE);
                case SESSION -> session = text(p, ActionReader.MAX_NAME, TextFormats.SESSION);
                case SENT_AT, RECEIVED_AT -> integer(p, 0, JsonFields.MAX_EPOCH_MS);
                case CONTEXT -> context(p);
                default -> action(p, limits);
            }
        }
        if ((present & REQUIRED) != REQUIRED) {
            throw Refused.INSTANCE;
        }
        return session;
    }

    private static void context(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT);
        int seen = 0;
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
                case "user_agent" -> text(p, ActionReader.MAX_USER_AGENT, null);
                case "screen_w", "screen_h" -> integer(p, 0, ActionReader.MAX_PIXELS);
                case "dpr" -> number(p, 0, ActionReader.MAX_DPR);
                case "language", "timezone" -> text(p, ActionReader.MAX_LOCALE, TextFormats.PRINTABLE);
                default -> integer(p, -ActionReader.MAX_TZ_OFFSET_MIN, ActionReader.MAX_TZ_OFFSET_MIN);
            }
        }
    }

    private static void action(JsonParser p, Limits limits) throws IOException {
        expect(p, JsonToken.START_OBJECT);
        int seen = 0;
        int present = 0;
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
                case ID -> text(p, 36, TextFormats.UUID);
                case SEQ -> integer(p, 0, ActionReader.MAX_SEQ);
                case TYPE -> text(p, ActionReader.MAX_TYPE, TextFormats.TYPE);
                case T -> integer(p, 0, JsonFields.MAX_EPOCH_MS);
                case T_MONO -> number(p, 0, ActionReader.MAX_T_MONO);
                case URL -> text(p, ActionReader.MAX_URL, null);
                case VW, VH -> integer(p, 0, ActionReader.MAX_PIXELS);
                case TARGET -> ActionReader.target(object(p), "action.target");
                case DATA -> JsonFields.checkFreeForm(object(p), "action.data", 1, limits.maxDataDepth());
                default -> number(p, -ActionReader.MAX_COORDINATE, ActionReader.MAX_COORDINATE);
            }
        }
        if ((present & ACTION_REQUIRED) != ACTION_REQUIRED || ((present & X) == 0) != ((present & Y) == 0)) {
            throw Refused.INSTANCE;
        }
    }

    /** Marks {@code field} seen; a repeated name is malformed. */
    private static int once(int seen, int field) {
        if ((seen & field) != 0) {
            throw Refused.INSTANCE;
        }
        return seen | field;
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

    private static void integer(JsonParser p, long min, long max) throws IOException {
        expect(p, JsonToken.VALUE_NUMBER_INT);
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw Refused.INSTANCE;
        }
        long value = p.getLongValue();
        if (value < min || value > max) {
            throw Refused.INSTANCE;
        }
    }

    private static void number(JsonParser p, double min, double max) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw Refused.INSTANCE;
        }
        double value = p.getDoubleValue();
        if (!Double.isFinite(value) || value < min || value > max) {
            throw Refused.INSTANCE;
        }
    }

    /** A member that is checked as a tree (duplicate names refused while it is built, as by the decoder). */
    private static ObjectNode object(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT);
        JsonNode node = MEMBER_READER.readTree(p);
        return (ObjectNode) node;
    }
}

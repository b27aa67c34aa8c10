package io.useractions.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one reader of the wire format: a {@code POST /v1/batches} body, and a raw-topic record (v1: one
 * action with its envelope; v2: a batch's envelope once, then its actions). It reads in one pass over the
 * parser's tokens, without a tree (only an action's free-form {@code data} becomes one), and stops at the
 * first problem in document order; a required member that is missing is noticed at the end of its object.
 * The exception names the JSON path of the field at fault and what is wrong with it, so an HTTP error
 * or a dead-letter header can say exactly what to fix.
 */
final class WireReader {
    static final long MAX_EPOCH_MS = 253_402_300_799_999L; // the end of the year 9999
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
    private static final int UUID_CHARS = 36;
    private static final int MAX_TARGET_ID = 256;
    private static final int MAX_SELECTOR = 1024;
    private static final int MAX_ATTR_VALUE = 1024;

    static final String UNKNOWN = "unknown field (custom values belong in data)";
    private static final String PRINTABLE = "printable text";

    /** Reads one value in the middle of a document: what follows it is not "trailing". */
    private static final ObjectReader MEMBER_READER = Json.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    // Members of the root object.
    private static final int V = 1, STUDY = 1 << 1, PARTICIPANT = 1 << 2, SESSION = 1 << 3, CONDITION = 1 << 4,
            SENT_AT = 1 << 5, RECEIVED_AT = 1 << 6, CONTEXT = 1 << 7, ACTION = 1 << 8, ACTIONS = 1 << 9;
    // Members of an action.
    private static final int ID = 1, SEQ = 1 << 1, TYPE = 1 << 2, T = 1 << 3, T_MONO = 1 << 4, URL = 1 << 5,
            X = 1 << 6, Y = 1 << 7, PAGE_X = 1 << 8, PAGE_Y = 1 << 9, SCREEN_X = 1 << 10, SCREEN_Y = 1 << 11,
            VW = 1 << 12, VH = 1 << 13, TARGET = 1 << 14, DATA = 1 << 15;
    /** The names of the members, in the order of their bits. */
    private static final Members ROOT_MEMBERS = new Members("v", "study", "participant", "session", "condition",
            "sent_at", "received_at", "context", "action", "actions");
    private static final Members CONTEXT_MEMBERS = new Members("user_agent", "screen_w", "screen_h", "dpr",
            "language", "timezone", "tz_offset_min");
    private static final Members ACTION_MEMBERS = new Members("id", "seq", "type", "t", "t_mono", "url", "x", "y",
            "page_x", "page_y", "screen_x", "screen_y", "vw", "vh", "target", "data");
    private static final Members TARGET_MEMBERS = new Members("id", "selector", "attrs");
    /** Members only a raw record has. */
    private static final int RECORD_ONLY = V | RECEIVED_AT | ACTION;
    /** The required members of an action: the first four bits (ID to T). */
    private static final int ACTION_REQUIRED = 4;

    /** Where the parser is, for naming a field only when there is something wrong with it. */
    private enum Place { ROOT, CONTEXT, ACTION, TARGET, ATTRS }

    private static final int PLACES = Place.values().length;

    private final JsonParser p;
    private final Limits limits;
    private final boolean record;
    private Place place = Place.ROOT;
    /** The last member read in the object of each kind being read, by {@link Place}'s ordinal. */
    private final int[] previous = new int[PLACES];
    /** The action being read: its index in {@code actions}, or -1 for a v1 record's {@code action}. */
    private int actionIndex;

    private int seen;
    private int present;
    private int version;
    private String study;
    private String participant;
    private String session;
    private String condition;
    private long sentAt;
    private long receivedAt;
    private ClientContext context;
    private List<Action> actions = List.of();
    private int[] starts;
    private int[] ends;

    private WireReader(JsonParser p, Limits limits, boolean record) {
        this.p = p;
        this.limits = limits;
        this.record = record;
    }

    /** A request body: the batch, with where each action's JSON is in {@code body}. */
    static Batch batch(byte[] body, Limits limits) {
        WireReader r = read(body, limits, false);
        int count = r.actions.size();
        return new Batch(r.study, r.participant, r.session, r.condition, r.sentAt, r.context, r.actions,
                new Batch.RawActions(body, Arrays.copyOf(r.starts, count), Arrays.copyOf(r.ends, count)));
    }

    /** A raw-topic record of either version. */
    static RawRecord record(byte[] value, Limits limits) {
        if (value == null) {
            throw new ValidationException("", "the record has no value");
        }
        WireReader r = read(value, limits, true);
        return new RawRecord(r.version, r.study, r.participant, r.session, r.condition, r.sentAt, r.receivedAt,
                r.context, r.actions);
    }

    private static WireReader read(byte[] json, Limits limits, boolean record) {
        if (json == null || json.length == 0) {
            throw new ValidationException("", "the request body is empty");
        }
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ValidationException("", "the request body is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ValidationException("", "must be a JSON object");
            }
            WireReader reader = new WireReader(p, limits, record);
            reader.root();
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw malformed(p.currentTokenLocation(), "Trailing token (of type " + trailing + ") found after value");
            }
            return reader;
        } catch (JacksonException e) {
            throw malformed(e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new ValidationException("", "unreadable body: " + e.getMessage());
        }
    }

    /** A syntax error, with where it is and Jackson's message without the parser's internals. */
    static ValidationException malformed(JsonLocation where, String message) {
        String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return new ValidationException("", "malformed JSON" + at + ": " + firstLine(message));
    }

    private ValidationException duplicate(String name) {
        return malformed(p.currentTokenLocation(), "Duplicate field '" + name + "'");
    }

    private void root() throws IOException {
        int allowed = record ? -1 : ~RECORD_ONLY;
        for (int field; (field = member(ROOT_MEMBERS, allowed, seen)) != 0; seen |= field) {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            present |= field;
            switch (field) {
                case STUDY -> study = text("study", MAX_STUDY, TextFormats.STUDY, "1-64 letters, digits, '.', '_' or '-'");
                case PARTICIPANT -> participant = text("participant", MAX_NAME, TextFormats.PRINTABLE, PRINTABLE);
                case SESSION -> session = text("session", MAX_NAME, TextFormats.SESSION,
                        "1-128 letters, digits, '.', '_', ':' or '-'");
                case CONDITION -> condition = text("condition", MAX_NAME, TextFormats.PRINTABLE, PRINTABLE);
                case SENT_AT -> sentAt = integer("sent_at", 0, MAX_EPOCH_MS, "epoch milliseconds");
                case RECEIVED_AT -> receivedAt = integer("received_at", 0, MAX_EPOCH_MS, "epoch milliseconds");
                case V -> version = (int) integer("v", RawRecord.V1, RawRecord.V2, "schema version");
                case CONTEXT -> context = context();
                case ACTION -> {
                    actionIndex = -1;
                    actions = List.of(action());
                }
                default -> actions();
            }
        }
        if (record) {
            required(V, "v");
        }
        required(STUDY, "study");
        required(PARTICIPANT, "participant");
        required(SESSION, "session");
        required(SENT_AT, "sent_at");
        if (!record) {
            required(ACTIONS, "actions");
            return;
        }
        required(RECEIVED_AT, "received_at");
        // A v1 record holds one action, a v2 record an array of them; the other member is not theirs.
        int own = version == RawRecord.V1 ? ACTION : ACTIONS;
        int other = own == ACTION ? ACTIONS : ACTION;
        if ((seen & other) != 0) {
            throw new ValidationException(other == ACTION ? "action" : "actions", UNKNOWN);
        }
        required(own, own == ACTION ? "action" : "actions");
    }

    private void required(int field, String name) {
        if ((present & field) == 0) {
            throw new ValidationException(name, "is required");
        }
    }

    /** The {@code actions} array: at least one, at most the limit, ids unique; notes each one's bytes. */
    private void actions() throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ValidationException("actions", "must be an array");
        }
        List<Action> list = new ArrayList<>(64);
        Map<UUID, Integer> ids = new HashMap<>(128);
        starts = new int[64];
        ends = new int[64];
        while (p.nextToken() != JsonToken.END_ARRAY) {
            int i = list.size();
            if (i == limits.maxActions()) {
                int count = i;
                do {
                    p.skipChildren();
                    count++;
                } while (p.nextToken() != JsonToken.END_ARRAY);
                throw ValidationException.tooLarge("actions",
                        count + " actions exceed the limit of " + limits.maxActions() + " per batch");
            }
            if (i == starts.length) {
                starts = Arrays.copyOf(starts, i * 2);
                ends = Arrays.copyOf(ends, i * 2);
            }
            starts[i] = (int) p.currentTokenLocation().getByteOffset();
            actionIndex = i;
            Action action = action();
            ends[i] = (int) p.currentLocation().getByteOffset();
            Integer first = ids.putIfAbsent(action.id(), i);
            if (first != null) {
                throw new ValidationException("actions[" + i + "].id", "repeats the id of actions[" + first + "]");
            }
            list.add(action);
        }
        if (list.isEmpty()) {
            throw new ValidationException("actions", "must contain at least one action");
        }
        actions = list;
    }

    private ClientContext context() throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ValidationException("context", "must be a JSON object");
        }
        place = Place.CONTEXT;
        int seenHere = 0;
        String userAgent = null, language = null, timezone = null;
        Integer screenW = null, screenH = null, tzOffsetMin = null;
        Double dpr = null;
        for (int field; (field = member(CONTEXT_MEMBERS, -1, seenHere)) != 0; seenHere |= field) {
            String name = p.currentName();
            switch (p.currentToken() == JsonToken.VALUE_NULL ? 0 : field) {
                case 0 -> {
                }
                case 1 -> userAgent = text(name, MAX_USER_AGENT, null, null);
                case 1 << 1 -> screenW = (int) integer(name, 0, MAX_PIXELS, "pixels");
                case 1 << 2 -> screenH = (int) integer(name, 0, MAX_PIXELS, "pixels");
                case 1 << 3 -> dpr = number(name, 0, MAX_DPR);
                case 1 << 4 -> language = text(name, MAX_LOCALE, TextFormats.PRINTABLE, PRINTABLE);
                case 1 << 5 -> timezone = text(name, MAX_LOCALE, TextFormats.PRINTABLE, PRINTABLE);
                default -> tzOffsetMin = (int) integer(name, -MAX_TZ_OFFSET_MIN, MAX_TZ_OFFSET_MIN, "minutes");
            }
        }
        place = Place.ROOT;
        return new ClientContext(userAgent, screenW, screenH, dpr, language, timezone, tzOffsetMin);
    }

    /** An action object (the parser is on its first token); leaves the parser on its end. */
    private Action action() throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ValidationException(actionPath(), "must be a JSON object");
        }
        place = Place.ACTION;
        int seenHere = 0;
        int presentHere = 0;
        UUID id = null;
        long seq = 0, t = 0;
        String type = null, url = null;
        Double tMono = null, x = null, y = null, pageX = null, pageY = null, screenX = null, screenY = null;
        Integer vw = null, vh = null;
        Target target = null;
        ObjectNode data = null;
        for (int field; (field = member(ACTION_MEMBERS, -1, seenHere)) != 0; seenHere |= field) {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            presentHere |= field;
            String name = p.currentName();
            switch (field) {
                case ID -> id = uuid(name);
                case SEQ -> seq = integer(name, 0, MAX_SEQ, "per-session sequence number");
                case TYPE -> type = text(name, MAX_TYPE, TextFormats.TYPE,
                        "a name of letters, digits, '_', '.', ':' or '-' starting with a letter");
                case T -> t = integer(name, 0, MAX_EPOCH_MS, "epoch milliseconds");
                case T_MONO -> tMono = number(name, 0, MAX_T_MONO);
                case URL -> url = text(name, MAX_URL, null, null);
                case X -> x = coordinate(name);
                case Y -> y = coordinate(name);
                case PAGE_X -> pageX = coordinate(name);
                case PAGE_Y -> pageY = coordinate(name);
                case SCREEN_X -> screenX = coordinate(name);
                case SCREEN_Y -> screenY = coordinate(name);
                case VW -> vw = (int) integer(name, 0, MAX_PIXELS, "viewport width in CSS pixels");
                case VH -> vh = (int) integer(name, 0, MAX_PIXELS, "viewport height in CSS pixels");
                case TARGET -> target = target();
                default -> data = data();
            }
        }
        for (int i = 0; i < ACTION_REQUIRED; i++) {
            if ((presentHere & (1 << i)) == 0) {
                throw new ValidationException(path(ACTION_MEMBERS.name(i)), "is required");
            }
        }
        if ((x == null) != (y == null)) {
            throw new ValidationException(path(x == null ? "x" : "y"), "x and y must be given together");
        }
        place = Place.ROOT;
        return new Action(id, seq, type, t, tMono, url, x, y, pageX, pageY, screenX, screenY, vw, vh, target, data);
    }

    private Target target() throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ValidationException(path("target"), "must be a JSON object");
        }
        place = Place.TARGET;
        int seenHere = 0;
        String id = null, selector = null;
        Map<String, String> attrs = null;
        for (int field; (field = member(TARGET_MEMBERS, -1, seenHere)) != 0; seenHere |= field) {
            String name = p.currentName();
            switch (p.currentToken() == JsonToken.VALUE_NULL ? 0 : field) {
                case 0 -> {
                }
                case 1 -> id = text(name, MAX_TARGET_ID, null, null);
                case 2 -> selector = text(name, MAX_SELECTOR, null, null);
                default -> attrs = attrs();
            }
        }
        place = Place.ACTION;
        return new Target(id, selector, attrs);
    }

    private Map<String, String> attrs() throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ValidationException(path("attrs"), "must be a JSON object");
        }
        String attrsPath = path("attrs");
        place = Place.ATTRS;
        Map<String, String> attrs = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (attrs.size() == MAX_ATTRS) {
                throw ValidationException.tooLarge(attrsPath, "has more than " + MAX_ATTRS + " entries");
            }
            String problem = textProblem(name);
            if (problem != null) {
                throw new ValidationException(path(name), problem);
            }
            if (attrs.containsKey(name)) {
                throw duplicate(name);
            }
            attrs.put(name, p.nextToken() == JsonToken.VALUE_NULL ? null : text(name, MAX_ATTR_VALUE, null, null));
        }
        place = Place.TARGET;
        return attrs;
    }

    /** The free-form {@code data} object, read as a tree (a repeated name is refused while it is built). */
    private ObjectNode data() throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ValidationException(path("data"), "must be a JSON object");
        }
        ObjectNode data = (ObjectNode) MEMBER_READER.<JsonNode>readTree(p);
        if (!freeFormValid(data, 1, limits.maxDataDepth())) {
            freeForm(data, path("data"), 1, limits.maxDataDepth());
        }
        return data;
    }

    /**
     * Moves to the next member of the object being read and onto its value: the member's bit, or 0 at the
     * end of the object. A name that is not one of {@code members} (or not {@code allowed}) is refused at
     * its path, one already {@code seen} as malformed.
     *
     * <p>Clients write an object's members in the same order every time, so the name that followed the
     * previous member last time is tried first, as bytes ({@link JsonParser#nextFieldName(SerializableString)}):
     * when it matches, the parser skips its symbol table, which took a tenth of the ingest's reading.
     */
    private int member(Members members, int allowed, int seen) throws IOException {
        int kind = place.ordinal();
        int after = seen == 0 ? 0 : previous[kind] + 1;
        int guess = members.follows[after];
        String name;
        int field;
        if (p.nextFieldName(members.quoted[guess])) {
            name = members.names[guess];
            field = (1 << guess) & allowed;
        } else if (p.currentToken() == JsonToken.FIELD_NAME) {
            name = p.currentName();
            field = members.bit(name) & allowed;
        } else {
            return 0;
        }
        if (field == 0) {
            throw new ValidationException(path(name), UNKNOWN);
        }
        if ((seen & field) != 0) {
            throw duplicate(name);
        }
        int index = Integer.numberOfTrailingZeros(field);
        if (index != guess) {
            members.follows[after] = index;
        }
        previous[kind] = index;
        p.nextToken();
        return field;
    }

    /** The JSON path of member {@code name} where the parser is; built only for an error. */
    private String path(String name) {
        return switch (place) {
            case ROOT -> name;
            case CONTEXT -> "context." + name;
            case ACTION -> actionPath() + "." + name;
            case TARGET -> actionPath() + ".target." + name;
            case ATTRS -> actionPath() + ".target.attrs." + name;
        };
    }

    private String actionPath() {
        return actionIndex < 0 ? "action" : "actions[" + actionIndex + "]";
    }

    private String text(String name, int maxLength, Predicate<String> format, String formatHint) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new ValidationException(path(name), "must be a string");
        }
        String text = p.getText();
        if (text.isEmpty()) {
            throw new ValidationException(path(name), "must not be empty");
        }
        if (text.length() > maxLength) {
            throw ValidationException.tooLarge(path(name), "is longer than " + maxLength + " characters");
        }
        String problem = textProblem(text);
        if (problem != null) {
            throw new ValidationException(path(name), problem);
        }
        if (format != null && !format.test(text)) {
            throw new ValidationException(path(name), "must be " + formatHint);
        }
        return text;
    }

    private long integer(String name, long min, long max, String meaning) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new ValidationException(path(name), "must be an integer (" + meaning + ")");
        }
        long value = p.getLongValue();
        if (value < min || value > max) {
            throw new ValidationException(path(name), "must be between " + min + " and " + max + " (" + meaning + ")");
        }
        return value;
    }

    private double number(String name, double min, double max) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new ValidationException(path(name), "must be a number");
        }
        double value = p.getDoubleValue();
        if (!Double.isFinite(value) || value < min || value > max) {
            throw new ValidationException(path(name), "must be a finite number between " + min + " and " + max);
        }
        return value;
    }

    private double coordinate(String name) throws IOException {
        return number(name, -MAX_COORDINATE, MAX_COORDINATE);
    }

    /** A UUID read from the parser's characters; the text's rules name what is wrong with one that is not. */
    private UUID uuid(String name) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING && p.getTextLength() == UUID_CHARS) {
            char[] chars = p.getTextCharacters();
            int at = p.getTextOffset();
            long a = hex(chars, at, 8), b = hex(chars, at + 9, 4), c = hex(chars, at + 14, 4);
            long d = hex(chars, at + 19, 4), e = hex(chars, at + 24, 12);
            if ((a | b | c | d | e) >= 0 && chars[at + 8] == '-' && chars[at + 13] == '-' && chars[at + 18] == '-'
                    && chars[at + 23] == '-') {
                return new UUID(a << 32 | b << 16 | c, d << 48 | e);
            }
        }
        return UUID.fromString(text(name, UUID_CHARS, TextFormats.UUID, "a UUID (8-4-4-4-12 hex digits)"));
    }

    /** {@code count} (at most 12) hexadecimal digits as a number, or -1 when one is not a digit. */
    private static long hex(char[] chars, int from, int count) {
        long value = 0;
        for (int i = from; i < from + count; i++) {
            char c = chars[i];
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /**
     * What is wrong with a text, or null. PostgreSQL cannot store U+0000 in text or jsonb, and a lone
     * surrogate is not valid Unicode: either would stall the projection, so both are refused at the door.
     */
    static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "must not contain the NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains a lone surrogate (invalid Unicode)";
            }
        }
        return null;
    }

    /** Whether free-form JSON is within the depth and its keys and strings are valid text: no path built. */
    private static boolean freeFormValid(JsonNode value, int depth, int maxDepth) {
        if (value.isContainerNode() && depth > maxDepth) {
            return false;
        }
        if (value.isTextual()) {
            return textProblem(value.textValue()) == null;
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (textProblem(field.getKey()) != null || !freeFormValid(field.getValue(), depth + 1, maxDepth)) {
                    return false;
                }
            }
        } else if (value.isArray()) {
            for (JsonNode element : value) {
                if (!freeFormValid(element, depth + 1, maxDepth)) {
                    return false;
                }
            }
        }
        return !value.isFloatingPointNumber() || Double.isFinite(value.doubleValue());
    }

    /** Names the first fault of free-form JSON that {@link #freeFormValid} refused. */
    private static void freeForm(JsonNode value, String path, int depth, int maxDepth) {
        if (value.isContainerNode() && depth > maxDepth) {
            throw new ValidationException(path, "is nested deeper than " + maxDepth + " levels");
        }
        if (value.isTextual()) {
            String problem = textProblem(value.textValue());
            if (problem != null) {
                throw new ValidationException(path, problem);
            }
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String childPath = path + "." + field.getKey();
                String problem = textProblem(field.getKey());
                if (problem != null) {
                    throw new ValidationException(childPath, problem);
                }
                freeForm(field.getValue(), childPath, depth + 1, maxDepth);
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                freeForm(value.get(i), path + "[" + i + "]", depth + 1, maxDepth);
            }
        } else if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            throw new ValidationException(path, "must be a finite number");
        }
    }

    /** Jackson's message without the parser's location details, which the caller states once itself. */
    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        String text = message;
        for (String cut : new String[] { "\n", " (for ", " for `", " at [Source" }) {
            int at = text.indexOf(cut);
            if (at > 0) {
                text = text.substring(0, at);
            }
        }
        return text;
    }

    /**
     * The member names of one kind of object, each with its bit (1 << its index): one hash lookup of the
     * parser's name instead of a switch per object kind.
     */
    private static final class Members {
        private final String[] names;
        private final SerializableString[] quoted;
        private final Map<String, Integer> bits = new HashMap<>();
        /**
         * The member that came after each one (at [i + 1]; at [0], the first) in the last object read, on
         * any thread: only a guess, so a stale or torn value costs one miss, never a wrong answer.
         */
        private final int[] follows;

        Members(String... names) {
            this.names = names;
            this.quoted = new SerializableString[names.length];
            this.follows = new int[names.length + 1];
            for (int i = 0; i < names.length; i++) {
                bits.put(names[i], 1 << i);
                quoted[i] = new SerializedString(names[i]);
                follows[i + 1] = Math.min(i + 1, names.length - 1);
            }
        }

        /** The member's bit, or 0 when the name is not one of them. */
        int bit(String name) {
            Integer bit = bits.get(name);
            return bit == null ? 0 : bit;
        }

        String name(int index) {
            return names[index];
        }
    }
}

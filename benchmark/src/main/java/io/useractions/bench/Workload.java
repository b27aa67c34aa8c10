package io.useractions.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Batches as a study's browsers send them: about 50 actions each, mostly coalesced pointer moves, with
 * clicks, scrolls, keys, input, focus and visibility mixed in, and one trial (start, end, the clicks and misses
 * within it marked with its number), so that every shipped derived table gets rows. A fixed set of templates
 * is built once; each request copies one and writes fresh action ids (and the session it belongs to)
 * over placeholders of the same length, so generating load costs a memory copy, not a JSON encoder.
 */
final class Workload {
    static final String STUDY = "bench";
    static final String KEY = "bench-write-key";

    private static final int UUID_CHARS = 36;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String ID_PLACEHOLDER = "00000000-0000-4000-8000-00000000000";
    private static final String SESSION_PLACEHOLDER = "ffffffff-ffff-4fff-bfff-ffffffffffff";
    /**
     * Where each action's seq goes, right-aligned in spaces (JSON allows them before a value): a session
     * gets the next seqs with each batch, as a browser's logger numbers them, so none arrives as late.
     */
    private static final int SEQ_WIDTH = 9;
    private static final String SEQ_PLACEHOLDER = "#".repeat(SEQ_WIDTH);

    private final List<Template> templates;
    private final String[] sessions;
    private final int actionsPerBatch;
    /** Batches generated so far per session: the next batch's seqs follow them. */
    private final AtomicLongArray batchesOfSession;

    private Workload(List<Template> templates, String[] sessions, int actionsPerBatch) {
        this.templates = templates;
        this.sessions = sessions;
        this.actionsPerBatch = actionsPerBatch;
        this.batchesOfSession = new AtomicLongArray(sessions.length);
    }

    /** {@code templateCount} different batches of {@code actionsPerBatch} actions for {@code sessionCount} sessions. */
    static Workload create(int templateCount, int actionsPerBatch, int sessionCount, long seed) {
        Random random = new Random(seed);
        List<Template> templates = new ArrayList<>(templateCount);
        for (int i = 0; i < templateCount; i++) {
            templates.add(Template.of(batchJson(random, actionsPerBatch, i)));
        }
        String[] sessions = new String[sessionCount];
        for (int i = 0; i < sessionCount; i++) {
            sessions[i] = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
        }
        return new Workload(templates, sessions, actionsPerBatch);
    }

    int actionsPerBatch() {
        return actionsPerBatch;
    }

    /**
     * Starts new sessions in place of the old ones, their seqs from 1 again: a measurement on emptied tables
     * then meets no session that the processor's state already knows (its seqs behind, held as a gap).
     */
    void renewSessions() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
            batchesOfSession.set(i, 0);
        }
    }

    /** Mean body size in bytes. */
    int meanBodyBytes() {
        return (int) templates.stream().mapToInt(t -> t.json.length).average().orElse(0);
    }

    /**
     * A new batch: fresh ids, UUID v7 of this millisecond as the logger makes them; its last action's id (the lag
     * probe) is written to {@code lastId}.
     */
    byte[] next(long n, char[] lastId) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Template template = templates.get((int) (n % templates.size()));
        byte[] body = template.json.clone();
        int sessionIndex = (int) (n % sessions.length);
        byte[] session = sessions[sessionIndex].getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(session, 0, body, template.sessionOffset, UUID_CHARS);
        long firstSeq = batchesOfSession.getAndIncrement(sessionIndex) * actionsPerBatch + 1;
        for (int i = 0; i < template.seqOffsets.length; i++) {
            writeRightAligned(body, template.seqOffsets[i], firstSeq + i);
        }
        long now = System.currentTimeMillis();
        for (int offset : template.idOffsets) {
            writeUuid(body, offset, now << 16 | random.nextInt(1 << 16), random.nextLong());
        }
        int last = template.idOffsets[template.idOffsets.length - 1];
        for (int i = 0; i < UUID_CHARS; i++) {
            lastId[i] = (char) body[last + i];
        }
        return body;
    }

    /** {@code value} in decimal, right-aligned in spaces in the {@value #SEQ_WIDTH} bytes at {@code at}. */
    private static void writeRightAligned(byte[] out, int at, long value) {
        long rest = value;
        for (int p = at + SEQ_WIDTH - 1; p >= at; p--) {
            out[p] = rest == 0 && p < at + SEQ_WIDTH - 1 ? (byte) ' ' : (byte) ('0' + rest % 10);
            rest /= 10;
        }
    }

    /**
     * A version-7 UUID in its canonical text form, written into {@code out} at {@code at}: the milliseconds in the
     * first 48 bits of {@code msb}, random bits in the rest of it and in {@code lsb}.
     */
    static void writeUuid(byte[] out, int at, long msb, long lsb) {
        msb = (msb & ~0xF000L) | 0x7000L;
        lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        int p = at;
        for (int nibble = 15; nibble >= 0; nibble--) {
            out[p++] = HEX[(int) (msb >>> (nibble * 4)) & 0xF];
            if (nibble == 8 || nibble == 4) {
                out[p++] = '-';
            }
        }
        out[p++] = '-';
        for (int nibble = 15; nibble >= 0; nibble--) {
            out[p++] = HEX[(int) (lsb >>> (nibble * 4)) & 0xF];
            if (nibble == 12) {
                out[p++] = '-';
            }
        }
    }

    private static String batchJson(Random random, int actions, int index) {
        long now = System.currentTimeMillis();
        StringBuilder json = new StringBuilder(actions * 320);
        json.append("{\"study\":\"").append(STUDY).append("\",\"participant\":\"p-").append(1000 + index % 500)
                .append("\",\"session\":\"").append(SESSION_PLACEHOLDER).append("\",\"condition\":\"")
                .append(index % 2 == 0 ? "small-targets" : "large-targets").append("\",\"sent_at\":").append(now)
                .append(",\"context\":{\"user_agent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                        + " Chrome/131.0 Safari/537.36\",\"screen_w\":1920,\"screen_h\":1080,\"dpr\":1,"
                        + "\"language\":\"en-GB\",\"timezone\":\"Europe/Berlin\",\"tz_offset_min\":-60},\"actions\":[");
        int trial = 1 + index % 40;
        double x = 400 + random.nextInt(400);
        double y = 300 + random.nextInt(300);
        double tMono = 1000 + random.nextInt(100000);
        long t = now - actions * 16L;
        for (int i = 0; i < actions; i++) {
            if (i > 0) {
                json.append(',');
            }
            t += 16;
            tMono += 16.6;
            x = Math.max(0, Math.min(1279, x + random.nextGaussian() * 12));
            y = Math.max(0, Math.min(799, y + random.nextGaussian() * 9));
            String url = "https://study.example.org/task/" + (1 + index % 3);
            json.append("{\"id\":\"").append(ID_PLACEHOLDER).append(i % 10).append("\",\"seq\":")
                    .append(SEQ_PLACEHOLDER).append(",\"t\":").append(t)
                    .append(",\"t_mono\":").append(String.format(java.util.Locale.ROOT, "%.1f", tMono))
                    .append(",\"url\":\"").append(url).append('"');
            int kind = random.nextInt(100);
            // One trial a batch, from its second action to its last but one: every session's batches are
            // cut from the same template, so the trial table gets a row per batch.
            if (i == 1 || i == actions - 2) {
                json.append(",\"type\":\"").append(i == 1 ? "trial:start" : "trial:end")
                        .append("\",\"data\":{\"trial\":").append(trial);
                if (i != 1) {
                    json.append(",\"hit\":true,\"duration_ms\":").append(400 + random.nextInt(900));
                }
                json.append('}');
            } else if (kind < 80) {
                pointer(json, "pointermove", x, y);
            } else if (kind < 85) {
                pointer(json, "click", x, y);
                json.append(",\"target\":{\"id\":\"target-").append(random.nextInt(16))
                        .append("\",\"selector\":\"main > svg > circle#target-").append(random.nextInt(16))
                        .append("\",\"attrs\":{\"data-trial\":\"").append(trial).append("\"}}");
            } else if (kind < 90) {
                json.append(",\"type\":\"scroll\",\"vw\":1280,\"vh\":800,\"data\":{\"scroll_x\":0,\"scroll_y\":")
                        .append(random.nextInt(4000)).append('}');
            } else if (kind < 94) {
                json.append(",\"type\":\"keydown\",\"target\":{\"selector\":\"textarea#answer\"},\"data\":{\"key\":\"letter\","
                        + "\"code_category\":\"character\",\"repeat\":false}");
            } else if (kind < 97) {
                json.append(",\"type\":\"input\",\"target\":{\"id\":\"answer\",\"selector\":\"textarea#answer\"},"
                        + "\"data\":{\"length\":").append(random.nextInt(200)).append(",\"masked\":true}");
            } else if (kind < 99) {
                json.append(",\"type\":\"").append(random.nextBoolean() ? "focus" : "visibilitychange")
                        .append("\",\"data\":{\"state\":\"visible\"}");
            } else {
                json.append(",\"type\":\"trial:miss\",\"data\":{\"trial\":").append(trial).append('}');
            }
            json.append('}');
        }
        return json.append("]}").toString();
    }

    private static void pointer(StringBuilder json, String type, double x, double y) {
        json.append(",\"type\":\"").append(type).append("\",\"x\":").append(Math.round(x)).append(",\"y\":")
                .append(Math.round(y)).append(",\"page_x\":").append(Math.round(x)).append(",\"page_y\":")
                .append(Math.round(y) + 640).append(",\"screen_x\":").append(Math.round(x) + 320)
                .append(",\"screen_y\":").append(Math.round(y) + 140).append(",\"vw\":1280,\"vh\":800");
    }

    /** A batch's bytes and where its session and action ids are. */
    private record Template(byte[] json, int sessionOffset, int[] idOffsets, int[] seqOffsets) {
        static Template of(String text) {
            byte[] json = text.getBytes(StandardCharsets.UTF_8);
            int session = text.indexOf(SESSION_PLACEHOLDER);
            List<Integer> ids = new ArrayList<>();
            for (int at = text.indexOf(ID_PLACEHOLDER); at >= 0; at = text.indexOf(ID_PLACEHOLDER, at + UUID_CHARS)) {
                ids.add(at);
            }
            List<Integer> seqs = new ArrayList<>();
            for (int at = text.indexOf(SEQ_PLACEHOLDER); at >= 0; at = text.indexOf(SEQ_PLACEHOLDER, at + SEQ_WIDTH)) {
                seqs.add(at);
            }
            // ASCII only, so character offsets are byte offsets.
            return new Template(json, session, ids.stream().mapToInt(Integer::intValue).toArray(),
                    seqs.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}

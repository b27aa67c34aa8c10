package io.useractions.processor.projection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.useractions.model.Action;
import io.useractions.model.RawRecord;

/**
 * What a transaction's new rows add to the data-quality summary ({@code session_quality} and
 * {@code session_histogram}), summed per session by the sink as it encodes the rows, and written by
 * {@code ual_quality_fold} (V16) in the same transaction. The insert triggers did this before; PostgreSQL
 * filled their transition tables with every row of every COPY, which cost more than the sums themselves
 * (docs/benchmarks.md).
 *
 * <p>Only sums leave Java: the maxima of text ({@code condition}) and the histograms' buckets are taken by
 * SQL, in the database's collation and by {@code ual_bucket}, so the live summary equals one rebuilt from
 * the rows.
 */
final class QualityFold {
    private static final String FOLD = "select ual_quality_fold(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /**
     * The element types of its array parameters: per session (study, participant, session_id, samples,
     * first seq and t_mono, last seq and t_mono), per group (session, condition, skew, actions, highest seq,
     * first and last server time, flagged clocks, trials completed, finished), per step (session, step).
     */
    private static final String[] TYPES = {"text", "text", "text", "int8", "int8", "float8", "int8", "float8",
        "int4", "text", "int8", "int8", "int8", "int8", "int8", "int8", "int8", "bool", "int4", "float8"};

    private record Key(String study, String participant, String sessionId) {
    }

    /** A session's actions of one clock skew and one condition: a batch shares both, so a session has few. */
    private static final class Group {
        final long skewMs;
        final String condition;

        Group(long skewMs, String condition) {
            this.skewMs = skewMs;
            this.condition = condition;
        }

        // the sums
        long actions;
        long highestSeq = Long.MIN_VALUE;
        long firstSeenMs = Long.MAX_VALUE;
        long lastSeenMs = Long.MIN_VALUE;
        long flaggedClocks;
        long trialsCompleted;
        boolean finished;
    }

    /** One session's part of a transaction. */
    private static final class Session {
        final List<Group> groups = new ArrayList<>(2);
        long[] sampleSeqs = new long[16];
        /** NaN: a sample without {@code t_mono}. */
        double[] sampleTMonos = new double[16];
        int samples;

        Group group(long skewMs, String condition) {
            for (Group group : groups) {
                if (group.skewMs == skewMs && Objects.equals(group.condition, condition)) {
                    return group;
                }
            }
            Group group = new Group(skewMs, condition);
            groups.add(group);
            return group;
        }

        void addSample(long seq, Double tMono) {
            if (samples == sampleSeqs.length) {
                sampleSeqs = Arrays.copyOf(sampleSeqs, samples * 2);
                sampleTMonos = Arrays.copyOf(sampleTMonos, samples * 2);
            }
            sampleSeqs[samples] = seq;
            sampleTMonos[samples] = tMono == null ? Double.NaN : tMono;
            samples++;
        }

        /** Sorts the samples by seq, stably; they mostly come in order already. */
        void sortSamples() {
            int i = 1;
            while (i < samples && sampleSeqs[i - 1] <= sampleSeqs[i]) {
                i++;
            }
            if (i >= samples) {
                return;
            }
            Integer[] order = new Integer[samples];
            for (int j = 0; j < samples; j++) {
                order[j] = j;
            }
            long[] seqs = sampleSeqs;
            double[] tMonos = sampleTMonos;
            Arrays.sort(order, (a, b) -> Long.compare(seqs[a], seqs[b]));
            sampleSeqs = new long[seqs.length];
            sampleTMonos = new double[tMonos.length];
            for (int j = 0; j < samples; j++) {
                sampleSeqs[j] = seqs[order[j]];
                sampleTMonos[j] = tMonos[order[j]];
            }
        }
    }

    private final Map<Key, Session> sessions = new LinkedHashMap<>();
    /** The last session added to: a record's actions share it. */
    private RawRecord lastRecord;
    private Session lastSession;

    /**
     * Adds the action at {@code row}: as a row of ui_action when {@code action} is set, as a pointer sample
     * (a row of mouse_position) when {@code sample} is set.
     */
    void add(ActionRow row, boolean action, boolean sample) {
        RawRecord record = row.record();
        Action a = row.action();
        Session session = session(record);
        if (action) {
            Group group = session.group(record.skewMillis(), record.condition());
            group.actions++;
            group.highestSeq = Math.max(group.highestSeq, a.seq());
            group.firstSeenMs = Math.min(group.firstSeenMs, row.serverTime());
            group.lastSeenMs = Math.max(group.lastSeenMs, row.serverTime());
            if (row.clockFlag() != null) {
                group.flaggedClocks++;
            }
            String type = a.type();
            if (type.equals("trial:end")) {
                group.trialsCompleted++;
            } else if (type.equals("study:complete") || type.equals("page_unload")) {
                group.finished = true;
            }
        }
        if (sample) {
            session.addSample(a.seq(), a.tMono());
        }
    }

    private Session session(RawRecord record) {
        if (record != lastRecord) {
            lastSession = sessions.computeIfAbsent(new Key(record.study(), record.participant(), record.session()),
                    key -> new Session());
            lastRecord = record;
        }
        return lastSession;
    }

    void clear() {
        sessions.clear();
        lastRecord = null;
        lastSession = null;
    }

    /** Writes the sums with {@code ual_quality_fold}, in the connection's transaction. */
    void write(Connection connection) throws SQLException {
        if (sessions.isEmpty()) {
            return;
        }
        List<List<Object>> arguments = arguments();
        List<Array> bound = new ArrayList<>(TYPES.length);
        try (PreparedStatement fold = connection.prepareStatement(FOLD)) {
            for (int i = 0; i < TYPES.length; i++) {
                Array array = connection.createArrayOf(TYPES[i], typed(TYPES[i], arguments.get(i)));
                bound.add(array);
                fold.setArray(i + 1, array);
            }
            fold.execute();
        } finally {
            for (Array array : bound) {
                array.free();
            }
        }
    }

    /**
     * The sums as {@code ual_quality_fold}'s arguments, one list per array parameter in its order: the
     * sessions (numbered from 1 in their order here), their groups, their steps.
     */
    private List<List<Object>> arguments() {
        List<List<Object>> arguments = new ArrayList<>(TYPES.length);
        for (int i = 0; i < TYPES.length; i++) {
            arguments.add(new ArrayList<>());
        }
        int number = 0;
        for (Map.Entry<Key, Session> entry : sessions.entrySet()) {
            number++;
            Key key = entry.getKey();
            Session s = entry.getValue();
            s.sortSamples();
            boolean sampled = s.samples > 0;
            int last = s.samples - 1;
            append(arguments, 0, key.study(), key.participant(), key.sessionId(), (long) s.samples,
                    sampled ? s.sampleSeqs[0] : null, sampled ? nullable(s.sampleTMonos[0]) : null,
                    sampled ? s.sampleSeqs[last] : null, sampled ? nullable(s.sampleTMonos[last]) : null);
            for (Group g : s.groups) {
                append(arguments, 8, number, g.condition, g.skewMs, g.actions, g.highestSeq, g.firstSeenMs,
                        g.lastSeenMs, g.flaggedClocks, g.trialsCompleted, g.finished);
            }
            for (int j = 1; j < s.samples; j++) {
                // A step from or to a sample without t_mono is none, as SQL's null arithmetic makes it.
                double step = s.sampleTMonos[j] - s.sampleTMonos[j - 1];
                if (!Double.isNaN(step)) {
                    append(arguments, 18, number, step);
                }
            }
        }
        return arguments;
    }

    private static void append(List<List<Object>> arguments, int first, Object... values) {
        for (int i = 0; i < values.length; i++) {
            arguments.get(first + i).add(values[i]);
        }
    }

    /** The values as an array of the element type the driver encodes for {@code type}. */
    private static Object[] typed(String type, List<Object> values) {
        Object[] array = switch (type) {
            case "text" -> new String[values.size()];
            case "int8" -> new Long[values.size()];
            case "int4" -> new Integer[values.size()];
            case "float8" -> new Double[values.size()];
            case "bool" -> new Boolean[values.size()];
            default -> throw new IllegalArgumentException("no array of " + type);
        };
        return values.toArray(array);
    }

    private static Double nullable(double v) {
        return Double.isNaN(v) ? null : v;
    }
}

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
     * Adds one action of {@code record}: as a row of ui_action when {@code action} is set, as a pointer sample
     * (a row of mouse_position) when {@code sample} is set.
     */
    void add(RawRecord record, Action a, long serverTimeMs, boolean action, boolean sample) {
        Session session = session(record);
        if (action) {
            Group group = session.group(record.skewMillis(), record.condition());
            group.actions++;
            group.highestSeq = Math.max(group.highestSeq, a.seq());
            group.firstSeenMs = Math.min(group.firstSeenMs, serverTimeMs);
            group.lastSeenMs = Math.max(group.lastSeenMs, serverTimeMs);
            if (Clocks.flag(record, a) != null) {
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

    boolean isEmpty() {
        return sessions.isEmpty();
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
        Columns c = columns();
        try (PreparedStatement fold = connection.prepareStatement(FOLD)) {
            Object[][] arrays = {c.studies, c.participants, c.sessionIds, c.pointerSamples, c.firstSeqs, c.firstTMonos,
                c.lastSeqs, c.lastTMonos, c.groupSessions, c.groupConditions, c.groupSkewsMs, c.groupActions,
                c.groupHighestSeqs, c.groupFirstSeenMs, c.groupLastSeenMs, c.groupFlaggedClocks,
                c.groupTrialsCompleted, c.groupFinished, c.stepSessions, c.steps};
            String[] types = {"text", "text", "text", "int8", "int8", "float8", "int8", "float8", "int4", "text", "int8",
                "int8", "int8", "int8", "int8", "int8", "int8", "bool", "int4", "float8"};
            List<Array> bound = new ArrayList<>(arrays.length);
            try {
                for (int i = 0; i < arrays.length; i++) {
                    Array array = connection.createArrayOf(types[i], arrays[i]);
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
    }

    /** The sums as {@code ual_quality_fold}'s columns; sessions are numbered from 1 in their order here. */
    Columns columns() {
        int n = sessions.size();
        int groups = 0;
        int steps = 0;
        for (Session s : sessions.values()) {
            groups += s.groups.size();
            steps += Math.max(0, s.samples - 1);
        }
        Columns c = new Columns(n, groups, steps);
        int i = 0;
        int g = 0;
        int k = 0;
        for (Map.Entry<Key, Session> entry : sessions.entrySet()) {
            Key key = entry.getKey();
            Session s = entry.getValue();
            c.studies[i] = key.study();
            c.participants[i] = key.participant();
            c.sessionIds[i] = key.sessionId();
            c.pointerSamples[i] = (long) s.samples;
            if (s.samples > 0) {
                s.sortSamples();
                c.firstSeqs[i] = s.sampleSeqs[0];
                c.firstTMonos[i] = nullable(s.sampleTMonos[0]);
                c.lastSeqs[i] = s.sampleSeqs[s.samples - 1];
                c.lastTMonos[i] = nullable(s.sampleTMonos[s.samples - 1]);
            }
            for (int j = 1; j < s.samples; j++) {
                // A step from or to a sample without t_mono is none, as SQL's null arithmetic makes it.
                double step = s.sampleTMonos[j] - s.sampleTMonos[j - 1];
                if (!Double.isNaN(step)) {
                    c.stepSessions[k] = i + 1;
                    c.steps[k++] = step;
                }
            }
            for (Group group : s.groups) {
                c.groupSessions[g] = i + 1;
                c.groupConditions[g] = group.condition;
                c.groupSkewsMs[g] = group.skewMs;
                c.groupActions[g] = group.actions;
                c.groupHighestSeqs[g] = group.highestSeq;
                c.groupFirstSeenMs[g] = group.firstSeenMs;
                c.groupLastSeenMs[g] = group.lastSeenMs;
                c.groupFlaggedClocks[g] = group.flaggedClocks;
                c.groupTrialsCompleted[g] = group.trialsCompleted;
                c.groupFinished[g++] = group.finished;
            }
            i++;
        }
        c.stepSessions = Arrays.copyOf(c.stepSessions, k);
        c.steps = Arrays.copyOf(c.steps, k);
        return c;
    }

    private static Double nullable(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** The arguments of {@code ual_quality_fold}, as arrays the driver binds (boxed: some hold nulls). */
    static final class Columns {
        final String[] studies;
        final String[] participants;
        final String[] sessionIds;
        final Long[] pointerSamples;
        final Long[] firstSeqs;
        final Double[] firstTMonos;
        final Long[] lastSeqs;
        final Double[] lastTMonos;
        final Integer[] groupSessions;
        final String[] groupConditions;
        final Long[] groupSkewsMs;
        final Long[] groupActions;
        final Long[] groupHighestSeqs;
        final Long[] groupFirstSeenMs;
        final Long[] groupLastSeenMs;
        final Long[] groupFlaggedClocks;
        final Long[] groupTrialsCompleted;
        final Boolean[] groupFinished;
        Integer[] stepSessions;
        Double[] steps;

        Columns(int sessions, int groups, int steps) {
            studies = new String[sessions];
            participants = new String[sessions];
            sessionIds = new String[sessions];
            pointerSamples = new Long[sessions];
            firstSeqs = new Long[sessions];
            firstTMonos = new Double[sessions];
            lastSeqs = new Long[sessions];
            lastTMonos = new Double[sessions];
            groupSessions = new Integer[groups];
            groupConditions = new String[groups];
            groupSkewsMs = new Long[groups];
            groupActions = new Long[groups];
            groupHighestSeqs = new Long[groups];
            groupFirstSeenMs = new Long[groups];
            groupLastSeenMs = new Long[groups];
            groupFlaggedClocks = new Long[groups];
            groupTrialsCompleted = new Long[groups];
            groupFinished = new Boolean[groups];
            stepSessions = new Integer[steps];
            this.steps = new Double[steps];
        }
    }
}

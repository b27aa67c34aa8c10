package io.useractions.processor.withdrawal;

import java.util.HashSet;
import java.util.Set;

/**
 * The participants who withdrew, as of one read of {@code participant_withdrawal}, with that read's
 * version: the number of withdrawals and the latest {@code withdrawn_at} (microseconds). Withdrawals are
 * never deleted, so the version changes exactly when one was added; a reader compares versions instead of
 * reading the set again. A deleted study is the withdrawal of all its participants: its row names the
 * participant {@link #WHOLE_STUDY}, which no participant code can be (the admin API refuses blank codes).
 */
public final class Withdrawn {
    public static final Withdrawn NONE = new Withdrawn(0, 0, Set.of());
    /** The participant of the row that withdraws every participant of a study: the study's deletion. */
    public static final String WHOLE_STUDY = "";

    private final long count;
    private final long latestMicros;
    private final Set<String> keys;
    private final Set<String> studies;

    public Withdrawn(long count, long latestMicros, Set<String> keys) {
        this.count = count;
        this.latestMicros = latestMicros;
        this.keys = Set.copyOf(keys);
        Set<String> whole = new HashSet<>();
        String marker = '\u001f' + WHOLE_STUDY;
        for (String key : this.keys) {
            if (key.endsWith(marker)) {
                whole.add(key.substring(0, key.length() - marker.length()));
            }
        }
        this.studies = Set.copyOf(whole);
    }

    /** A set of the given (study, participant) pairs, for tests and the replay. */
    public static Withdrawn of(String... studyParticipantPairs) {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i + 1 < studyParticipantPairs.length; i += 2) {
            keys.add(key(studyParticipantPairs[i], studyParticipantPairs[i + 1]));
        }
        return new Withdrawn(keys.size(), keys.size(), keys);
    }

    public boolean contains(String study, String participant) {
        return !keys.isEmpty() && study != null && participant != null
                && (keys.contains(key(study, participant)) || !studies.isEmpty() && studies.contains(study));
    }

    /** Whether {@code study} was deleted: all its participants withdrawn. */
    public boolean containsStudy(String study) {
        return study != null && studies.contains(study);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    /** Whether {@code other} was read from the same table contents. */
    public boolean sameVersion(long otherCount, long otherLatestMicros) {
        return count == otherCount && latestMicros == otherLatestMicros;
    }

    public long count() {
        return count;
    }

    public long latestMicros() {
        return latestMicros;
    }

    static String key(String study, String participant) {
        return study + '\u001f' + participant;
    }

    @Override
    public String toString() {
        return "Withdrawn[" + count + " participants]";
    }
}

package io.useractions.model.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a sealed payload belongs to: the study, participant code and session id that its raw record keeps in
 * clear for routing. They are the associated data of AES-GCM, so a payload copied into another participant's
 * (or session's) record fails to open instead of being read as theirs. Encoded once, length-prefixed so
 * that no two different triples give the same bytes; build one per session and reuse it.
 */
public final class RecordBinding {
    private final String study;
    private final String participant;
    private final String session;
    private final byte[] encoded;

    private RecordBinding(String study, String participant, String session) {
        this.study = study;
        this.participant = participant;
        this.session = session;
        byte[][] parts = { bytes(study, "study"), bytes(participant, "participant"), bytes(session, "session") };
        ByteBuffer buffer = ByteBuffer.allocate(3 * Integer.BYTES + parts[0].length + parts[1].length + parts[2].length);
        for (byte[] part : parts) {
            buffer.putInt(part.length).put(part);
        }
        this.encoded = buffer.array();
    }

    public static RecordBinding of(String study, String participant, String session) {
        return new RecordBinding(study, participant, session);
    }

    public String study() {
        return study;
    }

    public String participant() {
        return participant;
    }

    public String session() {
        return session;
    }

    /** The associated data; not copied, callers must not change it. */
    byte[] encoded() {
        return encoded;
    }

    private static byte[] bytes(String value, String name) {
        return Objects.requireNonNull(value, name).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordBinding that && study.equals(that.study) && participant.equals(that.participant)
                && session.equals(that.session);
    }

    @Override
    public int hashCode() {
        return Objects.hash(study, participant, session);
    }

    @Override
    public String toString() {
        return "RecordBinding[study=" + study + ", participant=" + participant + ", session=" + session + "]";
    }
}

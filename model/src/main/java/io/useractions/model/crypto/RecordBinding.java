package io.useractions.model.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a sealed payload belongs to: the study, participant code and session id that its raw record keeps in
 * clear for routing. They are the associated data of AES-GCM, so a payload copied into another participant's
 * (or session's) record fails to open instead of being read as theirs.
 */
public record RecordBinding(String study, String participant, String session) {

    public RecordBinding {
        Objects.requireNonNull(study, "study");
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(session, "session");
    }

    /** The associated data: the three in UTF-8, each after its length, so that no two triples give the same bytes. */
    byte[] encoded() {
        byte[][] parts = { study.getBytes(StandardCharsets.UTF_8), participant.getBytes(StandardCharsets.UTF_8),
                session.getBytes(StandardCharsets.UTF_8) };
        ByteBuffer buffer = ByteBuffer.allocate(3 * Integer.BYTES + parts[0].length + parts[1].length + parts[2].length);
        for (byte[] part : parts) {
            buffer.putInt(part.length).put(part);
        }
        return buffer.array();
    }
}

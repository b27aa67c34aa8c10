package io.useractions.processor.topology;

import io.useractions.model.crypto.SealedRecords;

/**
 * How the topology treats participants' data keys (docs/withdrawal.md): {@code keys} opens sealed raw
 * records (one whose key is gone is dropped as withdrawn); with {@code sealSessions}, the session state and
 * the trial and session_summary rows are sealed with the participant's newest key too.
 */
public record Sealing(SealedRecords.Keys keys, boolean sealSessions) {
    /** No keys: only records in clear are read, and nothing is sealed. */
    public static final Sealing NONE = new Sealing(SealedRecords.Keys.NONE, false);
}

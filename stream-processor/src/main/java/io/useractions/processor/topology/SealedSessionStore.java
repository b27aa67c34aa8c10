package io.useractions.processor.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.useractions.model.crypto.DataKey;
import io.useractions.model.crypto.RecordBinding;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.processor.sessions.Sessions;
import io.useractions.processor.withdrawal.Withdrawn;

/**
 * Wraps the session state store so that each session's ledger (its format unchanged) is stored, and so
 * written to the changelog topic, sealed with its participant's newest key, bound to the study, participant
 * and session its store key names. A ledger whose key is gone reads as absent and is deleted (a tombstone in
 * the changelog) the next time the sessions are walked (at start, and when they forget the withdrawn); a
 * participant without a key (records written in clear, or sealing off at the ingest) keeps theirs in clear.
 */
final class SealedSessionStore implements Sessions.Store {
    private final Sessions.Store store;
    private final SealedRecords.Keys keys;
    private final Supplier<Withdrawn> withdrawn;

    SealedSessionStore(Sessions.Store store, SealedRecords.Keys keys, Supplier<Withdrawn> withdrawn) {
        this.store = store;
        this.keys = keys;
        this.withdrawn = withdrawn;
    }

    @Override
    public byte[] get(String key) {
        return open(store.get(key));
    }

    @Override
    public void put(String key, byte[] ledger) {
        RecordBinding binding = binding(key);
        DataKey dataKey = binding == null ? null : keys.current(binding.study(), binding.participant());
        if (dataKey == null && binding != null && withdrawn.get().contains(binding.study(), binding.participant())) {
            // Their key is gone: nothing of theirs is stored in clear.
            store.delete(key);
            return;
        }
        store.put(key, dataKey == null ? ledger : SealedRecords.seal(dataKey, binding, ledger));
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public void forEach(BiConsumer<String, byte[]> each) {
        List<String> gone = new ArrayList<>();
        store.forEach((key, value) -> {
            byte[] ledger = open(value);
            if (ledger == null) {
                gone.add(key);
            } else {
                each.accept(key, ledger);
            }
        });
        gone.forEach(store::delete);
    }

    private byte[] open(byte[] value) {
        return value == null ? null : SealedRecords.open(value, keys);
    }

    /** The session a store key names: study, participant and session id separated by U+001F. */
    private static RecordBinding binding(String key) {
        String[] parts = key.split("\u001f", 3);
        return parts.length == 3 ? new RecordBinding(parts[0], parts[1], parts[2]) : null;
    }
}

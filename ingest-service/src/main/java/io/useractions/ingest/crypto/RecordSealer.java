package io.useractions.ingest.crypto;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.useractions.ingest.Deadline;
import io.useractions.ingest.access.AccessDeniedException;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.ingest.kafka.PublishException;
import io.useractions.model.Batch;
import io.useractions.model.crypto.DataKey;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.model.crypto.RecordBinding;
import io.useractions.model.crypto.SealedRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Seals a batch's raw records with its participant's data key (docs/withdrawal.md), which it creates with
 * their first batch. A key in the cache costs nothing more than the sealing, on the request's thread; a
 * miss reads (or creates) it in PostgreSQL on a worker thread, never on the event loop.
 */
@ApplicationScoped
public class RecordSealer {
    private static final Logger LOG = Logger.getLogger(RecordSealer.class);
    private static final DataKey NOT_CACHED = DataKey.generate(-1);

    private final ParticipantKeys keys;
    private final Vertx vertx;

    public RecordSealer(DataSource dataSource, IngestConfig config, Vertx vertx) {
        this.vertx = vertx;
        this.keys = config.crypto().enabled() ? config.crypto().keys(dataSource) : null;
        // Said once, so that a run (a benchmark with UAL_CRYPTO_ENABLED=false) shows which way it went.
        LOG.infof("Sealing raw records with the participants' data keys: %s", keys != null ? "on" : "off");
    }

    public boolean enabled() {
        return keys != null;
    }

    /**
     * The participant's data key (null when sealing is off); fails with 410 when they withdrew (no key is
     * made for them) and with 503 when PostgreSQL does not answer.
     */
    public Future<DataKey> key(Batch batch) {
        if (keys == null) {
            return Future.succeededFuture();
        }
        DataKey cached = keys.cachedCurrent(batch.study(), batch.participant(), NOT_CACHED);
        if (cached != NOT_CACHED) {
            return cached != null ? Future.succeededFuture(cached) : Future.failedFuture(withdrawn(batch));
        }
        // On a worker thread; the answer comes back on the caller's event loop.
        return Deadline.context(vertx).<DataKey> executeBlocking(() -> {
            try {
                return keys.currentOrCreate(batch.study(), batch.participant());
            } catch (RuntimeException e) {
                throw new PublishException("the participant's data key cannot be read from PostgreSQL: "
                        + e.getMessage());
            }
        }, false).compose(key -> key != null ? Future.succeededFuture(key) : Future.failedFuture(withdrawn(batch)));
    }

    /** The records sealed with {@code key}; as they are when it is null (sealing off). */
    public List<byte[]> seal(DataKey key, Batch batch, List<byte[]> records) {
        if (key == null) {
            return records;
        }
        RecordBinding binding = new RecordBinding(batch.study(), batch.participant(), batch.session());
        List<byte[]> sealed = new ArrayList<>(records.size());
        for (byte[] record : records) {
            sealed.add(SealedRecords.seal(key, binding, record));
        }
        return sealed;
    }

    private static AccessDeniedException withdrawn(Batch batch) {
        return new AccessDeniedException(410, "participant_withdrawn", "participant", "participant '"
                + batch.participant() + "' withdrew from study '" + batch.study() + "': their actions are not taken");
    }
}

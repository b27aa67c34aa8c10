package io.useractions.ingest.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.ingest.crypto.RecordSealer;
import io.useractions.ingest.dedupe.DedupeCache;
import io.useractions.ingest.kafka.ActionPublisher;
import io.useractions.model.Batch;
import io.useractions.model.RawRecords;
import io.vertx.core.Future;

/** Drops recently seen actions, produces the rest and remembers them once Kafka acknowledged. */
@ApplicationScoped
public class BatchIngestor {
    private final DedupeCache dedupe;
    private final ActionPublisher publisher;
    private final RecordSealer sealer;
    private final IngestConfig config;
    private final Counter accepted;
    private final Counter duplicates;

    public BatchIngestor(DedupeCache dedupe, ActionPublisher publisher, RecordSealer sealer, IngestConfig config,
            MeterRegistry registry) {
        this.dedupe = dedupe;
        this.publisher = publisher;
        this.sealer = sealer;
        this.config = config;
        this.accepted = Counter.builder("ual.ingest.actions.accepted")
                .description("Actions acknowledged by Kafka").register(registry);
        this.duplicates = Counter.builder("ual.ingest.duplicates.dropped")
                .description("Actions dropped because their id was seen recently").register(registry);
    }

    /**
     * Size-checks every action first, so a bad batch is refused before anything is produced; then the
     * actions not seen recently go to Kafka as one record (or a few, for a very large batch), sealed with
     * the participant's data key. Every step is a plain Vert.x future that continues on the request's event
     * loop: no Mutiny pipeline and no context propagation per batch (with their timers, an eighth of the
     * ingest's CPU samples on main).
     */
    public Future<IngestResult> ingest(Batch batch, long receivedAt) {
        List<byte[]> whole = RawRecords.encode(batch, receivedAt, config.limits());
        List<UUID> ids = new ArrayList<>(batch.actions().size());
        for (var action : batch.actions()) {
            ids.add(action.id());
        }
        return sealer.key(batch).compose(key -> dedupe.seen(batch.session(), ids).compose(seen -> {
            List<UUID> fresh = new ArrayList<>(ids.size());
            for (UUID id : ids) {
                if (!seen.contains(id)) {
                    fresh.add(id);
                }
            }
            List<byte[]> records = sealer.seal(key, batch, seen.isEmpty() ? whole
                    : RawRecords.encode(batch, receivedAt, i -> !seen.contains(ids.get(i))));
            return publisher.publish(batch.session(), records, fresh.size())
                    .compose(ignored -> dedupe.remember(fresh, new DedupeCache.Dropped(batch.study(), batch.participant(),
                            batch.session(), seen.size())))
                    .map(ignored -> {
                        accepted.increment(fresh.size());
                        duplicates.increment(seen.size());
                        return new IngestResult(fresh.size(), seen.size());
                    });
        }));
    }
}

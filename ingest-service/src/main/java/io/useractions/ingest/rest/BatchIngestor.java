package io.useractions.ingest.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.ingest.dedupe.DedupeCache;
import io.useractions.ingest.kafka.ActionPublisher;
import io.useractions.model.Batch;
import io.useractions.model.EnvelopeCodec;

/** Drops recently seen actions, produces the rest and remembers them once Kafka acknowledged. */
@ApplicationScoped
public class BatchIngestor {
    private final DedupeCache dedupe;
    private final ActionPublisher publisher;
    private final IngestConfig config;
    private final Counter accepted;
    private final Counter duplicates;

    public BatchIngestor(DedupeCache dedupe, ActionPublisher publisher, IngestConfig config, MeterRegistry registry) {
        this.dedupe = dedupe;
        this.publisher = publisher;
        this.config = config;
        this.accepted = Counter.builder("ual.ingest.actions.accepted")
                .description("Actions acknowledged by Kafka").register(registry);
        this.duplicates = Counter.builder("ual.ingest.duplicates.dropped")
                .description("Actions dropped because their id was seen recently").register(registry);
    }

    /** Encodes (and size-checks) every action first, so a bad batch is refused before anything is produced. */
    public Uni<IngestResult> ingest(Batch batch, long receivedAt) {
        List<byte[]> records = EnvelopeCodec.encode(batch, receivedAt, config.limits());
        List<UUID> ids = batch.actions().stream().map(action -> action.id()).toList();
        return dedupe.seen(ids).flatMap(seen -> {
            List<UUID> fresh = new ArrayList<>(ids.size());
            List<byte[]> toSend = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                if (!seen.contains(ids.get(i))) {
                    fresh.add(ids.get(i));
                    toSend.add(records.get(i));
                }
            }
            return publisher.publish(batch.session(), toSend)
                    .call(() -> dedupe.remember(fresh, new DedupeCache.Dropped(batch.study(), batch.participant(),
                            batch.session(), seen.size())))
                    .map(ignored -> {
                        accepted.increment(fresh.size());
                        duplicates.increment(seen.size());
                        return new IngestResult(fresh.size(), seen.size());
                    });
        });
    }
}

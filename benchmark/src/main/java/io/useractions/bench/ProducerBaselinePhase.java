package io.useractions.bench;

import java.util.Locale;

/**
 * Kafka producer baseline: a bare KafkaProducer sending the workload's v2 records in clear, with the ingest
 * producer's settings and lz4; the ingest seals its records (zstd-compressed, sent without lz4) unless sealing is off.
 */
record ProducerBaselinePhase(Rig rig, long actions, int partitions) {
    /** Sends {@code actions} and returns the rate, which the ingest maximum is compared to. */
    Baselines.Rate run() throws Exception {
        rig.phase("Kafka producer baseline");
        Baselines.Rate producer = Baselines.kafkaProducer(rig.endpoints().kafka(), rig.workload(), actions, partitions);
        rig.report().row("baseline: Kafka producer, same records", Report.rate(producer.perSecond(), "actions/s"),
                String.format(Locale.ROOT, "%,d actions in v2 records of %.0f B in clear (not sealed), acks=all, "
                        + "lz4; the ingest sends them sealed: zstd-compressed, without lz4", producer.count(),
                        producer.meanBytes()));
        return producer;
    }
}

package io.useractions.bench;

import java.util.Locale;

/** Kafka producer baseline: a bare KafkaProducer sending the very records the ingest service sends for the workload. */
record ProducerBaselinePhase(Rig rig, long actions, int partitions) {
    /** Sends {@code actions} and returns the rate, which the ingest maximum is compared to. */
    Baselines.Rate run() throws Exception {
        rig.phase("Kafka producer baseline");
        Baselines.Rate producer = Baselines.kafkaProducer(rig.endpoints().kafka(), rig.workload(), actions, partitions);
        rig.report().row("baseline: Kafka producer, same records", Report.rate(producer.perSecond(), "actions/s"),
                String.format(Locale.ROOT, "%,d actions in records of %.0f B, acks=all, lz4", producer.count(),
                        producer.meanBytes()));
        return producer;
    }
}

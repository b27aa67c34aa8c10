package io.useractions.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;

import io.useractions.model.Batch;
import io.useractions.model.BatchParser;
import io.useractions.model.Limits;
import io.useractions.model.RawRecords;
import io.useractions.model.crypto.DataKey;
import io.useractions.model.crypto.PayloadCipher;
import io.useractions.model.crypto.RecordBinding;
import io.useractions.model.crypto.SealedRecords;

/**
 * {@code ./ual bench --crypto}: what crypto-shredding costs (docs/withdrawal.md), without servers. The
 * workload's batches become the v2 raw records the ingest writes; each is sealed whole with its participant's
 * data key (an upper bound: the design leaves study, participant and session in clear) and opened again, on
 * one thread after a warm-up. Beside it, for scale, the validating decode the processor already runs on every
 * record, and the bytes a raw-topic producer batch takes with the ingest's lz4 compression, plain and sealed:
 * ciphertext does not compress. Then the same as wired in: {@link SealedRecords}, which compresses each record
 * (zstd) before sealing it.
 */
record CryptoPhase(PrintStream out, Report report, Duration warmup, Duration measure) {
    /** The ingest producer's {@code batch.size}: records are grouped up to it for the compression figure. */
    private static final int PRODUCER_BATCH_BYTES = 131_072;

    /**
     * A raw record, its actions, the key and binding its participant's records are sealed with, the record
     * sealed whole by {@link PayloadCipher} and as the ingest writes it ({@link SealedRecords}: compressed,
     * sealed, study, participant and session in clear).
     */
    private record Sample(byte[] record, int actions, DataKey key, RecordBinding binding, byte[] sealed,
            byte[] wired, byte[] ledger) {
    }

    /** About what a session's ledger takes in the state store (a running trial and the summary). */
    private static final int LEDGER_BYTES = 300;

    void run(Workload workload, int batches) {
        Rig.phase(out, "encryption cost: sealing and opening " + batches + " raw records, " + warmup.toSeconds()
                + " s warm-up, " + measure.toSeconds() + " s per measure");
        List<Sample> samples = samples(workload, batches);
        long actions = samples.stream().mapToLong(Sample::actions).sum();
        long recordBytes = samples.stream().mapToLong(s -> s.record().length).sum();

        long deadline = System.nanoTime() + warmup.toNanos();
        long sink = 0;
        while (System.nanoTime() < deadline) {
            for (ToLongFunction<List<Sample>> pass : List.of(SEAL, OPEN, DECODE, SEAL_WIRED, OPEN_WIRED, LEDGER)) {
                sink += pass.applyAsLong(samples);
            }
        }
        Timed seal = time(samples, SEAL);
        Timed open = time(samples, OPEN);
        Timed decode = time(samples, DECODE);
        Timed sealWired = time(samples, SEAL_WIRED);
        Timed openWired = time(samples, OPEN_WIRED);
        Timed ledger = time(samples, LEDGER);
        if (sink == 42) {
            out.println("(sink)");
        }

        double perRecord = (double) actions / samples.size();
        report.row("crypto: seal (AES-256-GCM)", us(seal.microsPerAction()), String.format(Locale.ROOT,
                "per action, one thread: a whole v2 record of %.0f actions (%,d bytes mean) sealed at once, %,.0f MB/s",
                perRecord, recordBytes / samples.size(), seal.megabytesPerSecond(recordBytes)));
        report.row("crypto: open", us(open.microsPerAction()), String.format(Locale.ROOT,
                "per action, tag checked; %,.0f MB/s", open.megabytesPerSecond(recordBytes)));
        report.row("crypto: for scale, decode a raw record", us(decode.microsPerAction()),
                "per action: the validating read the processor already runs on every record (RawRecords.decode)");
        report.row("crypto: bytes added", String.format(Locale.ROOT, "%.2f B/action", PayloadCipher.OVERHEAD / perRecord),
                String.format(Locale.ROOT, "%d bytes a record (version, key id, nonce, tag) over %.0f actions; "
                        + "%.2f%% of the uncompressed record", PayloadCipher.OVERHEAD, perRecord,
                        100.0 * PayloadCipher.OVERHEAD * samples.size() / recordBytes));
        long plainLz4 = batchBytes(samples, Sample::record, Compression.lz4().build());
        long sealedLz4 = batchBytes(samples, Sample::sealed, Compression.lz4().build());
        // As wired, sealed records go to Kafka without the producer's compression (RawProducerCompression).
        long wired = batchBytes(samples, Sample::wired, Compression.NONE);
        report.row("crypto: raw topic bytes, lz4", String.format(Locale.ROOT, "%.0f → %.0f B/action",
                (double) plainLz4 / actions, (double) sealedLz4 / actions), String.format(Locale.ROOT,
                "Kafka record batches of up to %,d bytes as the ingest's producer compresses them, plain → sealed "
                        + "(×%.2f): ciphertext does not compress", PRODUCER_BATCH_BYTES, (double) sealedLz4 / plainLz4));
        report.row("crypto: as wired, seal (zstd, AES-GCM)", us(sealWired.microsPerAction()),
                "per action, one thread: SealedRecords.seal, the ingest's step (zstd at level 1, then seal)");
        report.row("crypto: as wired, open (AES-GCM, zstd)", us(openWired.microsPerAction()),
                "per action, one thread: SealedRecords.open, each reader's step (topology, sink, replay)");
        report.row("crypto: as wired, session state", us(ledger.microsPerAction()), String.format(Locale.ROOT,
                "per action: a %d-byte session ledger opened and sealed again for each record, as the session step "
                        + "reads and writes its store", LEDGER_BYTES));
        double pipeline = sealWired.microsPerAction() + 2 * openWired.microsPerAction() + ledger.microsPerAction();
        report.row("crypto: as wired, pipeline CPU", us(pipeline), String.format(Locale.ROOT,
                "per action: sealed once at the ingest, opened by the topology and by the sink, and the session "
                        + "state (%.0f%% of the decode above, which the topology and the sink each run too)",
                100 * pipeline / decode.microsPerAction()));
        report.row("crypto: as wired, raw topic bytes", String.format(Locale.ROOT, "%.0f → %.0f B/action",
                (double) plainLz4 / actions, (double) wired / actions), String.format(Locale.ROOT,
                "plain in lz4 producer batches → compressed and sealed in the same batches without compression, as the "
                        + "ingest sends them (×%.2f)", (double) wired / plainLz4));
    }

    private List<Sample> samples(Workload workload, int batches) {
        BatchParser parser = new BatchParser(Limits.DEFAULT);
        Map<String, DataKey> keys = new HashMap<>();
        List<Sample> samples = new ArrayList<>(batches);
        char[] lastId = new char[36];
        long receivedAt = System.currentTimeMillis();
        for (int n = 0; n < batches; n++) {
            Batch batch = parser.parse(workload.next(n, lastId));
            DataKey key = keys.computeIfAbsent(batch.study() + "/" + batch.participant(), k -> DataKey.generate(1));
            RecordBinding binding = new RecordBinding(batch.study(), batch.participant(), batch.session());
            for (byte[] record : RawRecords.encode(batch, receivedAt)) {
                int actions = RawRecords.decode(record, Limits.DEFAULT).actions().size();
                samples.add(new Sample(record, actions, key, binding, PayloadCipher.seal(key, binding, record),
                        SealedRecords.seal(key, binding, record), SealedRecords.seal(key, binding,
                                Arrays.copyOf(record, Math.min(LEDGER_BYTES, record.length)))));
            }
        }
        return samples;
    }

    /** A pass over all samples that runs {@code step} on each and keeps a byte of each result, so none is skipped. */
    private static ToLongFunction<List<Sample>> each(ToLongFunction<Sample> step) {
        return samples -> {
            long sink = 0;
            for (Sample sample : samples) {
                sink += step.applyAsLong(sample);
            }
            return sink;
        };
    }

    private static final ToLongFunction<List<Sample>> SEAL =
            each(s -> PayloadCipher.seal(s.key(), s.binding(), s.record())[20]);
    private static final ToLongFunction<List<Sample>> OPEN =
            each(s -> PayloadCipher.open(s.key(), s.binding(), s.sealed())[3]);
    private static final ToLongFunction<List<Sample>> DECODE =
            each(s -> RawRecords.decode(s.record(), Limits.DEFAULT).actions().size());
    private static final ToLongFunction<List<Sample>> SEAL_WIRED =
            each(s -> SealedRecords.seal(s.key(), s.binding(), s.record())[20]);
    private static final ToLongFunction<List<Sample>> OPEN_WIRED =
            each(s -> SealedRecords.open(s.wired(), s.key())[3]);
    /** A session ledger's round trip through {@code SealedSessionStore}: opened, then sealed again. */
    private static final ToLongFunction<List<Sample>> LEDGER =
            each(s -> SealedRecords.seal(s.key(), s.binding(), SealedRecords.open(s.ledger(), s.key()))[20]);

    /** {@code rounds} passes over all samples, {@code actions} actions in each, took {@code nanos}. */
    private record Timed(long nanos, long rounds, long actions) {
        double microsPerAction() {
            return nanos / 1e3 / (rounds * actions);
        }

        double megabytesPerSecond(long bytesPerRound) {
            return rounds * bytesPerRound / (nanos / 1e9) / 1e6;
        }
    }

    private Timed time(List<Sample> samples, ToLongFunction<List<Sample>> pass) {
        long actionsPerRound = samples.stream().mapToLong(Sample::actions).sum();
        long started = System.nanoTime();
        long deadline = started + measure.toNanos();
        long rounds = 0;
        long sink = 0;
        do {
            sink += pass.applyAsLong(samples);
            rounds++;
        } while (System.nanoTime() < deadline);
        long nanos = System.nanoTime() - started;
        if (sink == 42) {
            out.println("(sink)");
        }
        return new Timed(nanos, rounds, actionsPerRound);
    }

    /** The bytes the samples take in Kafka record batches of up to the producer's batch size. */
    private static long batchBytes(List<Sample> samples, Function<Sample, byte[]> values, Compression compression) {
        long total = 0;
        List<SimpleRecord> group = new ArrayList<>();
        int groupBytes = 0;
        for (Sample sample : samples) {
            byte[] value = values.apply(sample);
            if (!group.isEmpty() && groupBytes + value.length > PRODUCER_BATCH_BYTES) {
                total += batch(group, compression);
                group.clear();
                groupBytes = 0;
            }
            group.add(new SimpleRecord(sample.binding().session().getBytes(StandardCharsets.US_ASCII),
                    value));
            groupBytes += value.length;
        }
        return group.isEmpty() ? total : total + batch(group, compression);
    }

    private static long batch(List<SimpleRecord> group, Compression compression) {
        return MemoryRecords.withRecords(compression, group.toArray(SimpleRecord[]::new)).sizeInBytes();
    }

    private static String us(double micros) {
        return String.format(Locale.ROOT, "%.3f µs/action", micros);
    }
}

package io.useractions.processor.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.useractions.model.Limits;
import io.useractions.model.Topics;
import io.useractions.model.crypto.KeySettings;
import io.useractions.model.trial.TrialMarkers;

/** Settings of the stream processor; each one can be set by environment variable (UAL_PROCESSOR_...). */
@ConfigMapping(prefix = "ual.processor")
public interface ProcessorConfig {

    TopicNames topics();

    Streams streams();

    Sink sink();

    Replay replay();

    Tables tables();

    Sessions sessions();

    Withdrawal withdrawal();

    Studies studies();

    KeySettings crypto();

    /** Largest encoded record accepted from the raw topic; matches the ingest service's limit. */
    @WithDefault("16384")
    int maxActionBytes();

    @WithDefault("8")
    int maxDataDepth();

    /** Names this replica in its consumer groups (static membership); unique per replica. */
    String instanceId();

    default Limits limits() {
        return new Limits(Integer.MAX_VALUE, maxActionBytes(), maxDataDepth());
    }

    interface TopicNames {
        @WithDefault(Topics.RAW)
        String raw();

        @WithDefault(Topics.PROJECTION)
        String projection();

        @WithDefault(Topics.DEAD_LETTER)
        String deadLetter();

        /** Creates missing topics at start-up, as Topics.SPECS says (raw and dead-letter with unlimited retention). */
        @WithDefault("true")
        boolean create();

        /** Partitions of the raw and projection topics when they are created here; Topics.DEFAULT_PARTITIONS if unset. */
        OptionalInt partitions();

        /** Replication factor of created topics; -1 takes the broker's default. */
        @WithDefault("-1")
        short replicationFactor();
    }

    interface Streams {
        /** Runs the validate-and-route topology (Kafka Streams) in this process; the replay command turns it off. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Studies {
        /**
         * How often a processor looks for closed studies whose retention has passed, and deletes them
         * (one processor at a time); 0 never.
         */
        @WithDefault("1h")
        Duration retentionCheckInterval();
    }

    interface Tables {
        /**
         * The directory of derived tables declared in YAML, one {@code *.yaml} file per table
         * (docs/derived-tables.md); relative to the working directory. Absent: none are declared.
         */
        @WithDefault("tables")
        Optional<String> dir();

        /**
         * Derived tables (declared or Java) this processor does not write, by name, though they are defined:
         * to turn off a Java example without rebuilding, or to measure what a table costs (./ual bench
         * --table-cost). A name that no derived table has is refused at start-up.
         */
        Optional<List<String>> skip();
    }

    /** The trial and session_summary tables, kept per session in the topology's state store (docs/derived-tables.md). */
    interface Sessions {
        @WithDefault("true")
        boolean enabled();

        /** The action type that starts a trial. */
        @WithDefault("trial:start")
        String trialStart();

        /** The action type that ends a trial. */
        @WithDefault("trial:end")
        String trialEnd();

        /** The action type counted as a miss within a trial; empty for none. */
        @WithDefault("trial:miss")
        Optional<String> trialMiss();

        /**
         * How long a session's actions after a gap in the seq numbers wait for the missing ones (a batch still in
         * flight) before they go on and the gap counts as lost; by receive time.
         */
        @WithDefault("10s")
        Duration reorderWindow();

        /** A trial still running when its session sent nothing for this long ends as incomplete. */
        @WithDefault("10m")
        Duration trialTimeout();

        /** A session idle for this long is forgotten; if it comes back, its trials are counted from 1 again. */
        @WithDefault("24h")
        Duration retention();

        /** How often the summaries of the sessions that changed are written and idle sessions looked for. */
        @WithDefault("5s")
        Duration emitInterval();

        default io.useractions.processor.sessions.Sessions.Windows windows() {
            return new io.useractions.processor.sessions.Sessions.Windows(reorderWindow(), trialTimeout(), retention());
        }

        default TrialMarkers markers() {
            return new TrialMarkers(trialStart(), trialEnd(), trialMiss().orElse(null));
        }
    }

    /** Withdrawn participants (docs/withdrawal.md). */
    interface Withdrawal {
        /**
         * How often the topology reads {@code participant_withdrawal} again to drop the records of
         * participants who withdrew. The sink checks it in every transaction whatever this says.
         */
        @WithDefault("1s")
        Duration refreshInterval();
    }

    interface Replay {
        /**
         * PostgreSQL's work_mem for the replay's final transaction: its comparison of the replayed rows with
         * the live ones (a hash join) and the session summary's rebuild (sorts) spill to disk when they do
         * not fit. A replay straight into emptied tables has it from its start, for the rows its deletes
         * gather for the summary's delete triggers.
         */
        @WithDefault("64MB")
        String workMem();

        /**
         * Raw records the replay reads per poll and copies per COPY. Two polls are in the heap at once (one
         * decoded while PostgreSQL copies the other), each with its records, their actions and their rows. At
         * 200 records of 50 actions (8 MB of rows a poll) they outlived young collections: the benchmark's replay
         * ran 10 full collections in its 144 MB heap; at 100, 2 besides the 2 of its start-up.
         */
        @WithDefault("100")
        int maxPollRecords();
    }

    interface Sink {
        /** Runs the PostgreSQL sink in this process. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("ual-postgres-sink")
        String groupId();

        /** Consumers (threads) of the projection topic in this processor, each with its own partitions. */
        @WithDefault("2")
        int consumers();

        /**
         * Raw records written per database transaction at most. A record is a batch (v2; 50 actions in the
         * benchmark), so a full poll of 200 is about 10,000 actions and 8 MB of rows; at 1,000 two consumers' polls
         * and their rows took about 60 MB of the processor's 144 MB heap on a backlog.
         */
        @WithDefault("200")
        int maxPollRecords();

        /**
         * Bytes fetched per partition at once. Fetched records wait in the heap until polled; more
         * than a poll's worth only makes them live long enough to be promoted.
         */
        @WithDefault("262144")
        int maxPartitionFetchBytes();

        /**
         * Bytes the broker gathers before it answers a fetch, unless {@link #fetchMaxWait()} passes
         * first. At moderate rates this makes a poll, and so a database transaction, hold hundreds of
         * rows instead of a few; each transaction has a fixed cost in the sink, the broker and PostgreSQL.
         * 64 KiB (about 600 lz4-compressed actions) held 10,000 actions/s end to end where 1 byte held
         * 5,000, at about 30 ms more for a single batch on an idle pipeline (docs/benchmarks.md).
         */
        @WithDefault("65536")
        int fetchMinBytes();

        /** The longest the broker holds a fetch for {@link #fetchMinBytes()}: the sink's added latency. */
        @WithDefault("50ms")
        Duration fetchMaxWait();

        @WithDefault("200ms")
        Duration pollTimeout();

        /** Wait before a failed transaction is tried again from the stored offsets. */
        @WithDefault("1s")
        Duration retryBackoff();

        /**
         * How often a consumer compares the offsets stored in PostgreSQL with its own, so that a database
         * that lost its last commits is noticed on a partition that receives no new records.
         */
        @WithDefault("5s")
        Duration offsetCheckInterval();

        /**
         * Static group membership: a restarted sink with the same id takes its partitions back at once
         * instead of waiting for the dead member's session to expire. Empty means dynamic membership.
         */
        Optional<String> instanceId();

        @WithDefault("20s")
        Duration sessionTimeout();
    }
}

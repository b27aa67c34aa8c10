package io.useractions.processor.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

import io.useractions.model.Topics;
import io.useractions.model.trial.TrialMarkers;
import io.useractions.processor.sessions.Sessions;

/** A projection topology under Kafka's test driver, with the raw topic in and the projection and dead letters out. */
final class TopologyRig implements AutoCloseable {
    /**
     * The session settings of the defaults: actions past a gap wait 10 s, trials end after 10 minutes, sessions
     * are kept a day, rows go every 5 s.
     */
    static final SessionSettings SESSIONS = new SessionSettings(TrialMarkers.DEFAULT, new Sessions.Windows(
            Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofHours(24)), Duration.ofSeconds(5));

    /** The tests' epoch: 2025-11-29T10:40:00Z. */
    static final long T0 = 1_764_412_800_000L;

    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> raw;
    final TestOutputTopic<String, byte[]> projection;
    final TestOutputTopic<String, byte[]> deadLetters;

    TopologyRig(Topology topology, Instant wallClock) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        driver = new TopologyTestDriver(topology, props, wallClock);
        raw = driver.createInputTopic(Topics.RAW, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        projection = driver.createOutputTopic(Topics.PROJECTION, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTER, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    /**
     * Pipes a v2 raw record of study "st" into the raw topic, keyed by its session: one action per entry of
     * {@code types}, each "seq:type", at client time T0 + seq; sent and received at {@code receivedAt}.
     */
    void send(String participant, String session, long receivedAt, String... types) {
        StringBuilder actions = new StringBuilder();
        for (String type : types) {
            long seq = Long.parseLong(type.substring(0, type.indexOf(':')));
            actions.append(actions.isEmpty() ? "" : ",").append("{\"id\":\"%s\",\"seq\":%d,\"type\":\"%s\",\"t\":%d}"
                    .formatted(UUID.randomUUID(), seq, type.substring(type.indexOf(':') + 1), T0 + seq));
        }
        String record = """
                {"v":2,"study":"st","participant":"%s","session":"%s","sent_at":%d,"received_at":%d,"actions":[%s]}"""
                .formatted(participant, session, receivedAt, receivedAt, actions);
        raw.pipeInput(session, record.getBytes(StandardCharsets.UTF_8));
    }

    /** A listener that keeps what the topology told it, for the tests to check. */
    static final class Recorder implements ProjectionTopology.Listener {
        final List<String> deadLettered = new ArrayList<>();
        int projected;
        int withdrawnDropped;

        @Override
        public void projected(int actions) {
            projected += actions;
        }

        @Override
        public void deadLettered(String reason) {
            deadLettered.add(reason);
        }

        @Override
        public void withdrawnDropped(int actions) {
            withdrawnDropped += actions;
        }
    }

    @Override
    public void close() {
        driver.close();
    }
}

package io.useractions.processor.topology;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.apache.kafka.streams.Topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.processor.config.ProcessorConfig;
import io.useractions.processor.withdrawal.Withdrawals;

@ApplicationScoped
public class TopologyProducer {

    /** Without this bean Quarkus does not start Kafka Streams: hence the switch is a lookup condition. */
    @Produces
    @LookupIfProperty(name = "ual.processor.streams.enabled", stringValue = "true", lookupIfMissing = true)
    public Topology topology(ProcessorConfig config, Withdrawals withdrawals, ParticipantKeys keys,
            MeterRegistry registry) {
        Counter validated = Counter.builder("ual.processor.actions.validated")
                .description("Actions in the raw records routed to the projection topic").register(registry);
        ProjectionTopology.Listener listener = new ProjectionTopology.Listener() {
            @Override
            public void projected(int actions) {
                validated.increment(actions);
            }

            @Override
            public void deadLettered(String reason) {
                Counter.builder("ual.processor.dead.lettered").description("Records sent to the dead-letter topic")
                        .tag("stage", "validate").tag("reason", reason).register(registry).increment();
            }

            @Override
            public void withdrawnDropped(int actions) {
                withdrawals.dropped("validate", 1);
            }
        };
        // Known before the first record; refreshed on the clock from start-up on.
        withdrawals.tryRefresh();
        ProcessorConfig.Sessions sessions = config.sessions();
        SessionSettings settings = sessions.enabled() ? new SessionSettings(sessions.markers(), sessions.windows(),
                sessions.emitInterval()) : null;
        return ProjectionTopology.build(config.topics().raw(), config.topics().projection(),
                config.topics().deadLetter(), config.limits(), settings, withdrawals,
                new Sealing(keys, config.crypto().enabled()), listener);
    }
}

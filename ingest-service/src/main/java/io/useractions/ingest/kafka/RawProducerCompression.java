package io.useractions.ingest.kafka;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.useractions.ingest.config.IngestConfig;

/**
 * With sealing on, the raw topic's producer does not compress: a sealed record is compressed before it is
 * sealed and ciphertext does not compress, so the channel's lz4 found nothing to save and cost CPU and a
 * block buffer per producer batch (a quarter of the ingest's allocations in a JFR profile,
 * docs/benchmarks.md). With sealing off the records are plain JSON and keep the channel's
 * {@code compression.type}.
 */
@ApplicationScoped
public class RawProducerCompression implements ClientCustomizer<Map<String, Object>> {
    private static final Logger LOG = Logger.getLogger(RawProducerCompression.class);

    private final IngestConfig config;

    public RawProducerCompression(IngestConfig config) {
        this.config = config;
    }

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> kafka) {
        if (!ActionPublisher.CHANNEL.equals(channel) || !config.crypto().enabled()
                || !kafka.containsKey(ProducerConfig.COMPRESSION_TYPE_CONFIG)) {
            return kafka;
        }
        Map<String, Object> customized = new HashMap<>(kafka);
        customized.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        LOG.infof("Raw records are sealed: the producer of channel %s sends them without compression", channel);
        return customized;
    }
}

package io.useractions.processor.crypto;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.processor.config.ProcessorConfig;

/**
 * The participants' data keys as this processor reads them: the topology, the sink and the replay open
 * sealed records with them, each key kept at most {@code ual.processor.crypto.key-cache-ttl}. Opening does not
 * depend on {@code crypto.enabled}: records sealed by the ingest are read whatever the processor seals itself.
 */
@ApplicationScoped
public class KeysProducer {

    @Produces
    @Singleton
    ParticipantKeys participantKeys(DataSource dataSource, ProcessorConfig config) {
        return config.crypto().keys(dataSource);
    }
}

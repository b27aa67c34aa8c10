package io.useractions.processor.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.useractions.model.RawRecord;

/**
 * A record of the projection topic, decoded, with the raw topic position it came from; or the reason
 * it could not be decoded.
 */
record ProjectedRecord(ConsumerRecord<String, byte[]> source, RawRecord raw, int srcPartition, long srcOffset,
        String error) {
}

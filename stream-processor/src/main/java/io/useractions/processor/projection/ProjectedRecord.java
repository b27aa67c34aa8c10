package io.useractions.processor.projection;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record of the projection topic with its rows, or the reason it could not be decoded. */
record ProjectedRecord(ConsumerRecord<String, byte[]> source, UiAction action, MousePosition position,
        String error) {
}

package io.useractions.ingest.kafka;

/** Kafka did not acknowledge a batch: nothing was promised to the client, which should retry. */
public class PublishException extends RuntimeException {
    public PublishException(String message) {
        super(message);
    }

    public PublishException(Throwable cause) {
        super("Kafka did not acknowledge: " + cause.getMessage(), cause);
    }
}

package io.useractions.model;

/** Parses and validates a {@code POST /v1/batches} body. All or nothing: one bad action rejects the batch. */
public final class BatchParser {
    private final Limits limits;

    public BatchParser(Limits limits) {
        this.limits = limits;
    }

    /**
     * The batch, with where each action's JSON is in {@code body}; throws {@link ValidationException}
     * naming the first field at fault (in document order) and what is wrong with it.
     */
    public Batch parse(byte[] body) {
        return WireReader.batch(body, limits);
    }
}

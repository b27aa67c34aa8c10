package io.useractions.processor.projection;

/**
 * A sink transaction found a partition's stored offset other than the one its batch started from, and
 * was rolled back: the database lost commits (a failover to an asynchronous standby, a restored
 * snapshot) or another writer moved the offset (a sink that lost the partition in a rebalance).
 */
public final class OffsetFenced extends RuntimeException {
    private final OffsetMove move;
    private final Long stored;

    /**
     * @param move the move the transaction tried: its partition and the offset the batch started from
     * @param stored the offset found stored; {@code null} when there is none
     */
    public OffsetFenced(String topic, OffsetMove move, Long stored) {
        super("stored offset of " + topic + "-" + move.partition() + " is " + describe(stored)
                + ", the batch started from " + describe(move.expected()), null, false, false);
        this.move = move;
        this.stored = stored;
    }

    private static String describe(Long offset) {
        return offset == null ? "none" : offset.toString();
    }

    public OffsetMove move() {
        return move;
    }

    public Long stored() {
        return stored;
    }
}

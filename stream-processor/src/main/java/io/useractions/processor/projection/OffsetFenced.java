package io.useractions.processor.projection;

/**
 * A sink transaction found a partition's stored offset other than the one its batch started from, and
 * was rolled back: the database lost commits (a failover to an asynchronous standby, a restored
 * snapshot) or another writer moved the offset (a sink that lost the partition in a rebalance).
 */
public final class OffsetFenced extends RuntimeException {
    private final String topic;
    private final int partition;
    private final Long expected;
    private final Long stored;

    public OffsetFenced(String topic, int partition, Long expected, Long stored) {
        super("stored offset of " + topic + "-" + partition + " is " + describe(stored) + ", the batch started from "
                + describe(expected), null, false, false);
        this.topic = topic;
        this.partition = partition;
        this.expected = expected;
        this.stored = stored;
    }

    private static String describe(Long offset) {
        return offset == null ? "none" : offset.toString();
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    /** The offset the batch started from; {@code null} when it expected no stored offset yet. */
    public Long expected() {
        return expected;
    }

    /** The offset found stored; {@code null} when there is none. */
    public Long stored() {
        return stored;
    }
}

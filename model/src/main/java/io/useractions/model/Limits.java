package io.useractions.model;

/**
 * Size limits applied while parsing a batch.
 *
 * @param maxActions     actions in one batch
 * @param maxActionBytes encoded size of one action's Kafka record (envelope JSON)
 * @param maxDataDepth   nesting depth of an action's {@code data} object
 */
public record Limits(int maxActions, int maxActionBytes, int maxDataDepth) {
    public static final Limits DEFAULT = new Limits(2000, 16 * 1024, 8);
}

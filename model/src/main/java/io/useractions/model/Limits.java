package io.useractions.model;

/**
 * Size limits applied while parsing a batch.
 *
 * @param maxActions     actions in one batch
 * @param maxActionBytes size of one action as a Kafka record of its own (the envelope and that action)
 * @param maxDataDepth   nesting depth of an action's {@code data} object
 */
public record Limits(int maxActions, int maxActionBytes, int maxDataDepth) {
    public static final Limits DEFAULT = new Limits(2000, 16 * 1024, 8);
}

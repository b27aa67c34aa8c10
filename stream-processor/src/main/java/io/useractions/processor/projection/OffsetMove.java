package io.useractions.processor.projection;

/**
 * One partition's stored offset as a sink transaction expects to find it ({@code null}: no row yet) and
 * the offset it leaves there.
 */
public record OffsetMove(int partition, Long expected, long next) {
}

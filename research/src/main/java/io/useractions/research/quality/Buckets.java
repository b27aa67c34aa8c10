package io.useractions.research.quality;

/**
 * The histogram buckets of {@code session_histogram}, as the database's {@code ual_bucket} assigns them:
 * quarter milliseconds below 64 ms, then 64 buckets per doubling, signed. A bucket reads as its middle, so
 * a median or percentile is within a quarter millisecond below 64 ms and within 0.55% above. (The comment
 * on {@code ual_bucket} in V3__session_quality.sql names this class SessionHistogram; a migration that ran
 * cannot change, or Flyway refuses its checksum.)
 */
public final class Buckets {
    private static final int LINEAR = 256;
    private static final double PER_DOUBLING = 64;

    private Buckets() {
    }

    /** The bucket of {@code v}, as {@code ual_bucket(v)} computes it. */
    public static int of(double v) {
        double a = Math.abs(v);
        double b = a < 64 ? Math.floor(a * 4) : LINEAR + Math.floor(PER_DOUBLING * Math.log(a / 64) / Math.log(2));
        return (int) (Math.signum(v) * b);
    }

    /** The middle of a bucket's range. */
    public static double value(int bucket) {
        int b = Math.abs(bucket);
        double middle = b < LINEAR ? (b + 0.5) / 4 : 64 * Math.pow(2, (b - LINEAR + 0.5) / PER_DOUBLING);
        return bucket == 0 ? 0 : Math.signum(bucket) * middle;
    }
}

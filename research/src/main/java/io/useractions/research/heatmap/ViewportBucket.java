package io.useractions.research.heatmap;

import java.util.ArrayList;
import java.util.List;

/**
 * A range of viewport widths (CSS px) drawn together, so that a phone's clicks do not smear a desktop's.
 * The buckets are fixed by the breakpoints {@link #BREAKPOINTS}; each is named by its label
 * {@code MIN-MAX}, both inclusive ({@code 1024-1279}), the widest open-ended ({@code 1920-}).
 *
 * @param max inclusive upper bound, or null for the widest bucket
 */
public record ViewportBucket(int min, Integer max) {
    public static final int[] BREAKPOINTS = {0, 480, 768, 1024, 1280, 1440, 1920};
    public static final List<ViewportBucket> ALL = all();

    private static List<ViewportBucket> all() {
        List<ViewportBucket> buckets = new ArrayList<>();
        for (int i = 0; i < BREAKPOINTS.length; i++) {
            buckets.add(new ViewportBucket(BREAKPOINTS[i], i + 1 < BREAKPOINTS.length ? BREAKPOINTS[i + 1] - 1 : null));
        }
        return List.copyOf(buckets);
    }

    public String label() {
        return min + "-" + (max == null ? "" : max);
    }

    public boolean contains(int vw) {
        return vw >= min && (max == null || vw <= max);
    }

    /** The bucket of a viewport width, or null for a negative one. */
    public static ViewportBucket of(int vw) {
        for (int i = ALL.size() - 1; i >= 0; i--) {
            if (vw >= ALL.get(i).min()) {
                return ALL.get(i);
            }
        }
        return null;
    }

    /** Exactly one of the labels of {@link #ALL}. */
    public static ViewportBucket parse(String label) {
        for (ViewportBucket bucket : ALL) {
            if (bucket.label().equals(label)) {
                return bucket;
            }
        }
        throw new IllegalArgumentException("'" + label + "' is not a viewport bucket; one of "
                + String.join(", ", ALL.stream().map(ViewportBucket::label).toList()));
    }

    @Override
    public String toString() {
        return label();
    }
}

package io.useractions.research.trajectory;

/**
 * mousetrap's count_changes, fed one step at a time: consecutive non-zero steps of the same sign form one
 * movement; with threshold 0 every change of sign between movements is a flip, otherwise only changes of sign
 * between consecutive movements longer than the threshold count (shorter movements are skipped, not merged).
 */
final class FlipCounter {
    private final double threshold;
    private double movement;
    private int movements;
    private double lastLongMovement;
    private int longSignChanges;

    FlipCounter(double threshold) {
        this.threshold = threshold;
    }

    void add(double step) {
        if (step == 0) {
            return;
        }
        if (movements > 0 && Math.signum(step) == Math.signum(movement)) {
            movement += step;
            return;
        }
        if (movements > 0) {
            close(movement);
        }
        movement = step;
        movements++;
    }

    int count() {
        if (threshold == 0) {
            return Math.max(0, movements - 1);
        }
        int changes = longSignChanges;
        if (movements > 0 && Math.abs(movement) > threshold && lastLongMovement != 0
                && (movement > 0) != (lastLongMovement > 0)) {
            changes++;
        }
        return changes;
    }

    private void close(double finished) {
        if (Math.abs(finished) > threshold) {
            if (lastLongMovement != 0 && (finished > 0) != (lastLongMovement > 0)) {
                longSignChanges++;
            }
            lastLongMovement = finished;
        }
    }
}

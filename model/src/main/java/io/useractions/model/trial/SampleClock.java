package io.useractions.model.trial;

import java.util.List;

/**
 * A trial's sample times in ms. t_mono (performance.now(), monotonic) when every sample has it; otherwise
 * the client clock for all of them, since the two scales must not be mixed within a trial.
 */
public final class SampleClock {

    private SampleClock() {
    }

    public static boolean usesMonotonic(List<PointerSample> samples) {
        for (PointerSample s : samples) {
            if (s.tMono() == null) {
                return false;
            }
        }
        return true;
    }

    public static double[] timesMs(List<PointerSample> samples) {
        boolean mono = usesMonotonic(samples);
        double[] t = new double[samples.size()];
        for (int i = 0; i < t.length; i++) {
            PointerSample s = samples.get(i);
            t[i] = mono ? s.tMono() : s.clientTime().getEpochSecond() * 1000.0 + s.clientTime().getNano() / 1e6;
        }
        return t;
    }
}

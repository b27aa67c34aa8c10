package io.useractions.research.trajectory;

import java.util.SplittableRandom;

/**
 * Single-thread throughput of what {@code ./ual measures} does per trial: mousetrap's standard preparation
 * ({@link Preparation}) and every measure ({@link Measures#of}), on synthetic browser-frame trials (curved
 * paths with jitter, an idle start and a pause). Prints one line: {@code measures_trials_per_second=N}.
 * Usage: {@code java -cp ... io.useractions.research.trajectory.MeasuresBench [trials] [samples]}
 */
public final class MeasuresBench {

    private MeasuresBench() {
    }

    public static void main(String[] args) {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Trajectory[] raw = new Trajectory[trials];
        SplittableRandom random = new SplittableRandom(20261202);
        for (int i = 0; i < trials; i++) {
            raw[i] = syntheticTrial("b" + i, samples, random);
        }
        double sink = 0;
        for (int round = 0; round < 5; round++) {
            sink += run(raw);
        }
        long start = System.nanoTime();
        int rounds = 10;
        for (int round = 0; round < rounds; round++) {
            sink += run(raw);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("measures_trials_per_second=%.0f%n", rounds * trials / seconds);
        if (sink == 42) {
            System.err.println("unlikely sink value");
        }
    }

    private static double run(Trajectory[] raw) {
        double sum = 0;
        for (Trajectory trial : raw) {
            sum += Measures.of(Preparation.prepare(trial)).get(Measure.AUC);
        }
        return sum;
    }

    /** Browser-frame samples from (640, 700) towards one of two targets at the top, every ~10 ms. */
    static Trajectory syntheticTrial(String id, int samples, SplittableRandom random) {
        double startX = 640 + random.nextGaussian() * 3;
        double startY = 700 + random.nextGaussian() * 3;
        double endX = random.nextBoolean() ? 140 : 1140;
        double endY = 100;
        double controlX = startX + random.nextDouble(-300, 300);
        double controlY = startY - 150;
        int idle = Math.min(samples / 4, random.nextInt(1, 20));
        int pauseAt = idle + random.nextInt(0, samples - idle);
        double[] t = new double[samples];
        double[] x = new double[samples];
        double[] y = new double[samples];
        double time = 0;
        for (int i = 0; i < samples; i++) {
            double u = i < idle ? 0 : (double) (i - idle) / (samples - 1 - idle);
            x[i] = (1 - u) * (1 - u) * startX + 2 * (1 - u) * u * controlX + u * u * endX;
            y[i] = (1 - u) * (1 - u) * startY + 2 * (1 - u) * u * controlY + u * u * endY;
            if (i >= idle && i < samples - 1) {
                x[i] += random.nextGaussian() * 0.5;
                y[i] += random.nextGaussian() * 0.5;
            }
            if (i == pauseAt + 1) {
                x[i] = x[i - 1];
                y[i] = y[i - 1];
            }
            t[i] = time;
            time += 8 + random.nextInt(0, 9);
        }
        return new Trajectory(id, t, x, y);
    }
}

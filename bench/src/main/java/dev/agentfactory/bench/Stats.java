package dev.agentfactory.bench;

import java.util.Arrays;

/** Percentiles of a set of samples, printed the same way by every benchmark. */
final class Stats {
    private final double[] sorted;

    Stats(double[] samples) {
        this.sorted = samples.clone();
        Arrays.sort(this.sorted);
    }

    double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    String summary(String unit) {
        return String.format("n=%d min=%.2f p50=%.2f p95=%.2f p99=%.2f max=%.2f %s", sorted.length, min(),
                percentile(50), percentile(95), percentile(99), max(), unit);
    }
}

package dev.weft.bench.loadgen;

/** Mean and maximum of CPU (fraction of all cores) and heap (MiB) samples; NaN samples are skipped. */
final class Samples {

    private double cpuSum;
    private double cpuMax;
    private int cpuCount;
    private double heapSum;
    private double heapMax;
    private int heapCount;

    void cpu(double value) {
        if (!Double.isNaN(value) && value >= 0) {
            cpuSum += value;
            cpuMax = Math.max(cpuMax, value);
            cpuCount++;
        }
    }

    void heap(double value) {
        if (!Double.isNaN(value)) {
            heapSum += value;
            heapMax = Math.max(heapMax, value);
            heapCount++;
        }
    }

    double cpuMean() {
        return cpuCount == 0 ? Double.NaN : cpuSum / cpuCount;
    }

    double cpuMax() {
        return cpuCount == 0 ? Double.NaN : cpuMax;
    }

    double heapMean() {
        return heapCount == 0 ? Double.NaN : heapSum / heapCount;
    }

    double heapMax() {
        return heapCount == 0 ? Double.NaN : heapMax;
    }
}

package dev.weft.scheduler.planning;

import dev.weft.scheduler.load.LoadQueries.ComponentLoad;
import dev.weft.scheduler.load.LoadQueries.EdgeLoad;
import dev.weft.scheduler.load.LoadQueries.WindowLoad;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A version's load over the planner's window, slice by slice (oldest first), so a change can be told from a spike:
 * it counts only when every slice shows it. Rates are averaged over the slices from the first one in which the
 * version reported anything, so a version that started reporting a minute ago is not read as a fifth of its load.
 */
record MeasuredLoad(Instant from, Instant to, List<WindowLoad> slices) {

    MeasuredLoad {
        slices = List.copyOf(slices);
    }

    static MeasuredLoad none(Instant from, Instant to) {
        return new MeasuredLoad(from, to, List.of());
    }

    private static boolean hasData(WindowLoad slice) {
        return !slice.components().isEmpty() || !slice.edges().isEmpty();
    }

    /** True when agents reported load for the version anywhere in the window. */
    boolean measured() {
        return firstWithData() < slices.size();
    }

    /** True when every slice has reports: long enough to call a change sustained. */
    boolean covered() {
        return !slices.isEmpty() && slices.stream().allMatch(MeasuredLoad::hasData);
    }

    private int firstWithData() {
        for (int i = 0; i < slices.size(); i++) {
            if (hasData(slices.get(i))) {
                return i;
            }
        }
        return slices.size();
    }

    /** Start of the part of the window the rates are averaged over. */
    Instant measuredFrom() {
        int first = firstWithData();
        return first < slices.size() ? slices.get(first).from() : to;
    }

    /** Cores of one component, averaged over the measured slices (0 when it reported nothing). */
    double cpu(long componentId) {
        return mean(componentId, ComponentLoad::cpuCores);
    }

    double requestsPerSecond(long componentId) {
        return mean(componentId, ComponentLoad::requestsPerSecond);
    }

    /** The most memory (MiB) any agent reported for the component in the window, if it reported any. */
    OptionalDouble memoryMiB(long componentId) {
        OptionalDouble max = OptionalDouble.empty();
        for (WindowLoad slice : slices) {
            for (ComponentLoad c : slice.components()) {
                if (c.componentId() == componentId && (max.isEmpty() || c.memoryMiB() > max.getAsDouble())) {
                    max = OptionalDouble.of(c.memoryMiB());
                }
            }
        }
        return max;
    }

    private double mean(long componentId, java.util.function.ToDoubleFunction<ComponentLoad> figure) {
        int first = firstWithData();
        if (first >= slices.size()) {
            return 0;
        }
        double sum = 0;
        for (int i = first; i < slices.size(); i++) {
            for (ComponentLoad c : slices.get(i).components()) {
                if (c.componentId() == componentId) {
                    sum += figure.applyAsDouble(c);
                }
            }
        }
        return sum / (slices.size() - first);
    }

    /** One edge's measured calls and bytes per second (means over the measured slices). */
    record EdgeRate(long callerId, long calleeId, double callsPerSecond, double bytesPerSecond) {}

    /** Every edge reported in the window. */
    List<EdgeRate> edges() {
        int first = firstWithData();
        Map<List<Long>, double[]> sums = new HashMap<>();
        for (int i = first; i < slices.size(); i++) {
            for (EdgeLoad e : slices.get(i).edges()) {
                double[] sum = sums.computeIfAbsent(List.of(e.callerId(), e.calleeId()), k -> new double[2]);
                sum[0] += e.callsPerSecond();
                sum[1] += e.bytesPerSecond();
            }
        }
        int n = slices.size() - first;
        return sums.entrySet().stream()
                .map(en -> new EdgeRate(
                        en.getKey().get(0), en.getKey().get(1), en.getValue()[0] / n, en.getValue()[1] / n))
                .sorted(java.util.Comparator.comparingLong(EdgeRate::callerId).thenComparingLong(EdgeRate::calleeId))
                .toList();
    }

    /** Per slice: the component's cores (0 where it reported nothing). */
    double[] cpuBySlice(long componentId) {
        double[] out = new double[slices.size()];
        for (int i = 0; i < out.length; i++) {
            for (ComponentLoad c : slices.get(i).components()) {
                if (c.componentId() == componentId) {
                    out[i] += c.cpuCores();
                }
            }
        }
        return out;
    }

    /** Per slice: the component's memory (MiB), NaN where it reported nothing. */
    double[] memoryBySlice(long componentId) {
        double[] out = new double[slices.size()];
        java.util.Arrays.fill(out, Double.NaN);
        for (int i = 0; i < out.length; i++) {
            for (ComponentLoad c : slices.get(i).components()) {
                if (c.componentId() == componentId) {
                    out[i] = Double.isNaN(out[i]) ? c.memoryMiB() : Math.max(out[i], c.memoryMiB());
                }
            }
        }
        return out;
    }

    /** Per slice: an edge's calls and bytes per second (0 where it was not reported). */
    double[][] edgeBySlice(long callerId, long calleeId) {
        double[][] out = new double[slices.size()][2];
        for (int i = 0; i < slices.size(); i++) {
            for (EdgeLoad e : slices.get(i).edges()) {
                if (e.callerId() == callerId && e.calleeId() == calleeId) {
                    out[i][0] += e.callsPerSecond();
                    out[i][1] += e.bytesPerSecond();
                }
            }
        }
        return out;
    }
}

package dev.weft.scheduler.planning;

import dev.weft.placement.model.CostModel;
import dev.weft.scheduler.planning.PlanInputs.ComponentInput;
import dev.weft.scheduler.planning.PlanInputs.EdgeInput;
import dev.weft.scheduler.registry.Registry.RegisteredComponent;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a version's load moved far enough from what its latest plan was computed on to plan it again: a
 * component's cpu or memory, or a heavy edge's calls per second, differs from the plan's figure by more than the
 * threshold (and by more than a floor, so tiny figures do not flap) in every slice of the window, all in the same
 * direction. A window not fully covered by reports never counts, so a spike or a version that just started reporting
 * does not trigger a plan; a plan kept out by the hysteresis does not trigger one again for the same load.
 */
final class Drift {

    private Drift() {}

    record Settings(double threshold, double floorCores, double floorMemoryMiB, double heavyEdgeCores) {
        static Settings of(PlanningProperties p) {
            return new Settings(
                    p.driftThresholdOrDefault(),
                    p.driftFloorCoresOrDefault(),
                    p.driftFloorMemoryMiBOrDefault(),
                    p.heavyEdgeCoresOrDefault());
        }
    }

    /** What moved, in words, or empty when nothing did. */
    static Optional<String> detect(
            PlanInputs base, MeasuredLoad load, RegisteredVersion version, CostModel model, Settings s) {
        if (!load.covered()) {
            return Optional.empty();
        }
        Map<String, ComponentInput> planned = new HashMap<>();
        base.components().forEach(c -> planned.put(c.name(), c));
        Map<Long, String> names = new HashMap<>();
        for (RegisteredComponent c : version.components()) {
            names.put(c.id(), c.name());
            ComponentInput was = planned.get(c.name());
            if (was == null) {
                continue;
            }
            Optional<String> cpu = sustained(load.cpuBySlice(c.id()), was.cpu(), s.threshold(), s.floorCores());
            if (cpu.isPresent()) {
                return Optional.of("cpu of " + c.name() + " " + cpu.get() + " cores");
            }
            Optional<String> memory =
                    sustained(load.memoryBySlice(c.id()), was.memoryGiB() * 1024, s.threshold(), s.floorMemoryMiB());
            if (memory.isPresent()) {
                return Optional.of("memory of " + c.name() + " " + memory.get() + " MiB");
            }
        }
        Map<String, EdgeInput> edges = new HashMap<>();
        base.edges().forEach(e -> edges.put(e.caller() + "->" + e.callee(), e));
        // every measured edge, and every planned heavy edge (which may have stopped)
        Map<String, long[]> ids = new HashMap<>();
        for (MeasuredLoad.EdgeRate e : load.edges()) {
            String caller = names.get(e.callerId());
            String callee = names.get(e.calleeId());
            if (caller != null && callee != null) {
                ids.put(caller + "->" + callee, new long[] {e.callerId(), e.calleeId()});
            }
        }
        Map<String, Long> byName = new HashMap<>();
        version.components().forEach(c -> byName.put(c.name(), c.id()));
        for (EdgeInput e : base.edges()) {
            Long caller = byName.get(e.caller());
            Long callee = byName.get(e.callee());
            if (caller != null && callee != null) {
                ids.putIfAbsent(e.caller() + "->" + e.callee(), new long[] {caller, callee});
            }
        }
        for (Map.Entry<String, long[]> entry :
                ids.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            EdgeInput was = edges.get(entry.getKey());
            double baseCalls = was == null ? 0 : was.callsPerSecond();
            double baseBytes = was == null ? 0 : was.bytesPerSecond();
            double[][] slices = load.edgeBySlice(entry.getValue()[0], entry.getValue()[1]);
            boolean heavy = model.edgeCores(baseCalls, baseBytes) >= s.heavyEdgeCores();
            double[] calls = new double[slices.length];
            double[] cores = new double[slices.length];
            for (int i = 0; i < slices.length; i++) {
                calls[i] = slices[i][0];
                cores[i] = model.edgeCores(slices[i][0], slices[i][1]);
                heavy |= cores[i] >= s.heavyEdgeCores();
            }
            if (!heavy) {
                continue;
            }
            // the floor is in cores the edge burns: a change that costs less than that is noise
            double callFloor = model.callCpu() > 0 ? s.floorCores() / model.callCpu() : 0;
            Optional<String> moved = sustained(calls, baseCalls, s.threshold(), callFloor);
            if (moved.isPresent()) {
                return Optional.of("calls/s of " + entry.getKey() + " " + moved.get());
            }
        }
        return Optional.empty();
    }

    /**
     * "was → now (+x %)" when every slice differs from {@code base} by more than {@code threshold} (relative) and
     * {@code floor} (absolute), all in one direction; NaN slices (no report) mean no.
     */
    static Optional<String> sustained(double[] slices, double base, double threshold, double floor) {
        if (slices.length == 0) {
            return Optional.empty();
        }
        int direction = 0;
        double sum = 0;
        for (double value : slices) {
            if (Double.isNaN(value)) {
                return Optional.empty();
            }
            double delta = value - base;
            if (Math.abs(delta) < floor || Math.abs(delta) <= threshold * Math.abs(base)) {
                return Optional.empty();
            }
            int sign = delta > 0 ? 1 : -1;
            if (direction != 0 && sign != direction) {
                return Optional.empty();
            }
            direction = sign;
            sum += value;
        }
        double now = sum / slices.length;
        String change = base == 0 ? "new" : String.format(Locale.ROOT, "%+.0f%%", 100 * (now - base) / base);
        return Optional.of(
                String.format(Locale.ROOT, "%.3f -> %.3f (%s) in every slice of the window", base, now, change));
    }
}

package dev.weft.placement.model;

import static java.util.Objects.requireNonNull;

/**
 * Prices and overheads that turn a grouping into dollars per hour; {@link #DEFAULTS} documents the defaults
 * (see placement/README.md for the formulas).
 *
 * @param callCpu           core-seconds one remote call costs, split half to each side's group
 * @param byteCpu           core-seconds one remote byte costs, split the same way
 * @param replicaCpuMax     cores of work one replica may carry at full utilisation
 * @param targetUtilization fraction of requested cores that work may use (0 < u <= 1)
 * @param processCpu        cores every process replica needs regardless of its work
 * @param processMem        GiB every process replica needs regardless of its components
 * @param pricePerCoreHour  dollars per requested core and hour
 * @param pricePerGiBHour   dollars per requested GiB and hour
 * @param preference        pack replicas tightly or spread them
 */
public record CostModel(
        double callCpu,
        double byteCpu,
        double replicaCpuMax,
        double targetUtilization,
        double processCpu,
        double processMem,
        double pricePerCoreHour,
        double pricePerGiBHour,
        Preference preference) {

    /** 50 µs per call, 2 ns per byte, 2-core replicas at 70 %, 0.1 core + 0.25 GiB per process, list prices. */
    public static final CostModel DEFAULTS =
            new CostModel(50e-6, 2e-9, 2.0, 0.7, 0.1, 0.25, 0.022, 0.003, Preference.PACK);

    public CostModel {
        Checks.nonNegative(callCpu, "callCpu");
        Checks.nonNegative(byteCpu, "byteCpu");
        Checks.positive(replicaCpuMax, "replicaCpuMax");
        Checks.positive(targetUtilization, "targetUtilization");
        if (targetUtilization > 1) {
            throw new IllegalArgumentException("targetUtilization must be <= 1, was " + targetUtilization);
        }
        Checks.nonNegative(processCpu, "processCpu");
        Checks.nonNegative(processMem, "processMem");
        Checks.nonNegative(pricePerCoreHour, "pricePerCoreHour");
        Checks.nonNegative(pricePerGiBHour, "pricePerGiBHour");
        requireNonNull(preference, "preference is null");
    }

    public CostModel withPreference(Preference p) {
        return new CostModel(
                callCpu,
                byteCpu,
                replicaCpuMax,
                targetUtilization,
                processCpu,
                processMem,
                pricePerCoreHour,
                pricePerGiBHour,
                p);
    }

    /** Cores a remote edge burns in total (both sides together). */
    public double edgeCores(double callsPerSecond, double bytesPerSecond) {
        return callCpu * callsPerSecond + byteCpu * bytesPerSecond;
    }

    /** Replicas before bounds: ceil(cpu / (replicaCpuMax × targetUtilization)). */
    public int replicasForCpu(double cpu) {
        // The small slack keeps 2.0000000001 (float noise of a sum) from becoming 3 replicas.
        double exact = cpu / (replicaCpuMax * targetUtilization);
        double r = Math.ceil(exact - 1e-9);
        return r >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, r);
    }

    /** replicas(g): the cpu-driven count raised to maxOfMin and capped by minOfMax (callers check crossing). */
    public int replicas(double cpu, int maxOfMin, int minOfMax) {
        return Math.min(Math.max(replicasForCpu(cpu), maxOfMin), minOfMax);
    }

    /** Requested cores(g) = replicas × processCpu + cpu / targetUtilization. */
    public double cores(double cpu, int replicas) {
        return replicas * processCpu + cpu / targetUtilization;
    }

    /** Memory(g) = replicas × (processMem + Σ mem). */
    public double memory(double componentMem, int replicas) {
        return replicas * (processMem + componentMem);
    }

    /** Dollars per hour for the given cores and GiB. */
    public double price(double cores, double memory) {
        return pricePerCoreHour * cores + pricePerGiBHour * memory;
    }

    /** Dollars per hour of one group with the given totals. */
    public double groupCost(double cpu, double componentMem, int maxOfMin, int minOfMax) {
        int r = replicas(cpu, maxOfMin, minOfMax);
        return price(cores(cpu, r), memory(componentMem, r));
    }
}

package dev.weft.rollout.gate;

import static java.util.Objects.requireNonNull;

/**
 * The load of one component of a version over an interval, as the load API reports it: cpu cores and
 * requests and errors per second summed over agents, memory (MiB) and in-flight the highest one agent
 * reported, and the number of reports ({@code samples}) behind them. Rates are averaged over the whole
 * interval (time without reports counts as no load).
 */
public record ComponentFigures(
        String component,
        double cpuCores,
        double memoryMiB,
        double requestsPerSecond,
        double errorsPerSecond,
        double inFlight,
        long samples) {

    public ComponentFigures {
        requireNonNull(component, "component is null");
        Checks.figure(cpuCores, "cpuCores of " + component);
        Checks.figure(memoryMiB, "memoryMiB of " + component);
        Checks.figure(requestsPerSecond, "requestsPerSecond of " + component);
        Checks.figure(errorsPerSecond, "errorsPerSecond of " + component);
        Checks.figure(inFlight, "inFlight of " + component);
        Checks.count(samples, "samples of " + component);
    }
}

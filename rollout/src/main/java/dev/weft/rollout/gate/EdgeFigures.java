package dev.weft.rollout.gate;

import static java.util.Objects.requireNonNull;

/**
 * The load of one call edge of a version over an interval, as the load API reports it: calls, bytes and
 * errors per second summed over agents; p50 latency (ms) the calls-weighted mean of the reported medians;
 * p99 the worst reported; and the number of reports behind them.
 */
public record EdgeFigures(
        String caller,
        String callee,
        double callsPerSecond,
        double bytesPerSecond,
        double errorsPerSecond,
        double latencyP50Ms,
        double latencyP99Ms,
        long samples) {

    public EdgeFigures {
        requireNonNull(caller, "caller is null");
        requireNonNull(callee, "callee is null");
        String edge = caller + "->" + callee;
        Checks.figure(callsPerSecond, "callsPerSecond of " + edge);
        Checks.figure(bytesPerSecond, "bytesPerSecond of " + edge);
        Checks.figure(errorsPerSecond, "errorsPerSecond of " + edge);
        Checks.figure(latencyP50Ms, "latencyP50Ms of " + edge);
        Checks.figure(latencyP99Ms, "latencyP99Ms of " + edge);
        Checks.count(samples, "samples of " + edge);
    }
}

package dev.weft.placement;

/**
 * How good a plan is.
 *
 * @param costPerHour     plan cost in dollars per hour (the objective)
 * @param cores           requested cores of all groups
 * @param memoryGiB       requested GiB of all groups
 * @param remoteCallCores cores burnt by calls that cross processes
 * @param groups          number of groups
 * @param replicas        number of replicas
 */
public record Score(
        double costPerHour, double cores, double memoryGiB, double remoteCallCores, int groups, int replicas) {}

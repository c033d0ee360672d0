package dev.weft.scheduler.agents;

import java.time.Duration;
import java.time.Instant;

/**
 * What one agent may send, kept per agent id across its reconnects so that reconnecting neither refills
 * its message budget nor lets it report the same time twice: a token bucket of messages, and how far its
 * load reports have covered the control plane's clock. An agent's old and new streams may overlap for a
 * moment, so every method is synchronized.
 */
final class AgentAllowance {

    private final TokenBucket bucket;
    private final Duration slack;
    // the control plane's time up to which this agent's reports have accounted for load
    private Instant coveredUntil;

    /**
     * @param firstCover how far before {@code now} the agent's first report may reach (it may cover time before
     *                   it connected, up to the longest report interval)
     * @param slack      how far ahead of the clock an agent's reported intervals may run before they are cut: the
     *                   longest report interval, so jitter, a drifting agent clock, or a few reports sent back to
     *                   back (as tests and agents catching up after a pause do) all count in full
     */
    AgentAllowance(TokenBucket bucket, Instant now, Duration firstCover, Duration slack) {
        this.bucket = bucket;
        this.coveredUntil = now.minus(firstCover);
        this.slack = slack;
    }

    synchronized boolean tryTake(long nowMillis) {
        return bucket.tryTake(nowMillis);
    }

    /**
     * The seconds of a report that {@code claimed} seconds long arrives at {@code now} that count: a report may
     * not cover time an earlier report of this agent already covered (beyond the slack). So an agent claiming an
     * hour every second adds load for about a second per second (after the first slack), never 3,600 times its
     * real rate.
     */
    synchronized double cover(Instant now, double claimed) {
        Instant start = later(coveredUntil, now.minusNanos((long) (claimed * 1e9)));
        Instant limit = now.plus(slack);
        double room = Math.max(0, (limit.toEpochMilli() - start.toEpochMilli()) / 1000.0);
        double counted = Math.min(claimed, room);
        coveredUntil = start.plusNanos((long) (counted * 1e9));
        return counted;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}

package dev.weft.scheduler.push;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the push side ({@code weft.push.*}).
 *
 * @param maxStartFailures how many times an agent may fail to start replicas of one version (each AssignmentAck
 *                         listing one of them in {@code failed_assignment_ids} counts once) before that version is no
 *                         longer placed on it; until then the agent is sent its set again, with a new generation, so
 *                         it retries
 * @param ackFlushInterval how often acknowledgements are written to the database, in one batch
 * @param sendThreads      threads that hand one committed batch's messages to the agents' streams at the same time
 *                         (0: as many as the machine has cores, at most 4); a batch for fewer than 250 agents per
 *                         thread uses fewer
 */
@ConfigurationProperties("weft.push")
record PushProperties(int maxStartFailures, Duration ackFlushInterval, int sendThreads) {

    PushProperties {
        if (maxStartFailures == 0) {
            maxStartFailures = 3;
        }
        if (maxStartFailures < 1) {
            throw new IllegalArgumentException(
                    "weft.push.max-start-failures must be at least 1, was " + maxStartFailures);
        }
        if (ackFlushInterval == null) {
            ackFlushInterval = Duration.ofMillis(200);
        }
        if (sendThreads == 0) {
            sendThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
        }
        if (sendThreads < 1) {
            throw new IllegalArgumentException("weft.push.send-threads must be at least 1, was " + sendThreads);
        }
        if (ackFlushInterval.isNegative() || ackFlushInterval.isZero()) {
            throw new IllegalArgumentException(
                    "weft.push.ack-flush-interval must be positive, was " + ackFlushInterval);
        }
    }
}

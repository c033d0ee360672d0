package dev.weft.scheduler.push;

/**
 * Replicas of a version failed to start on an agent {@code weft.push.max-start-failures} times: the version is no
 * longer placed there and its replicas are to be placed elsewhere. Published in the transaction that recorded it.
 */
public record StartFailuresExceeded(long versionId, String application, String version, String agentId, int failures) {}

package dev.weft.scheduler.deployments;

/**
 * A feature that may refuse an operator's undeploy (a rollout in flight owns both of its versions). Consulted inside
 * the undeploy's transaction, after the application's row is locked, so a check and a rollout's start cannot race.
 */
public interface ReleaseGuard {

    /**
     * Throws a {@link dev.weft.scheduler.system.WeftException} (a 409 problem) when {@code version} of
     * {@code application} must not be undeployed now; returns otherwise.
     */
    void checkUndeploy(String application, String version);
}

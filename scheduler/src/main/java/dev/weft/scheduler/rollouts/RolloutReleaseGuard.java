package dev.weft.scheduler.rollouts;

import dev.weft.scheduler.deployments.ReleaseGuard;
import dev.weft.scheduler.system.WeftException;
import org.springframework.stereotype.Component;

/** Refuses to undeploy either version of a rollout in flight: the rollout owns them until it ends. */
@Component
class RolloutReleaseGuard implements ReleaseGuard {

    private final RolloutStore store;

    RolloutReleaseGuard(RolloutStore store) {
        this.store = store;
    }

    @Override
    public void checkUndeploy(String application, String version) {
        store.applicationId(application)
                .flatMap(app -> store.versionId(app, version))
                .flatMap(store::activeWith)
                .ifPresent(id -> {
                    throw new WeftException(
                            RolloutError.ROLLOUT_IN_PROGRESS,
                            "Version '" + version + "' of '" + application + "' takes part in rollout " + id
                                    + ", which is in flight; abort it (POST /api/v1/applications/" + application
                                    + "/rollouts/" + id + "/abort) or let it finish before undeploying");
                });
    }
}

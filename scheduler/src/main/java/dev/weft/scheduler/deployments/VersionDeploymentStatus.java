package dev.weft.scheduler.deployments;

import dev.weft.scheduler.registry.DeploymentStatus;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** A version's deployment for the registry's version resource. */
@Component
class VersionDeploymentStatus implements DeploymentStatus {

    private final DeploymentStore store;
    private final DeploymentService deployments;

    VersionDeploymentStatus(DeploymentStore store, DeploymentService deployments) {
        this.store = store;
        this.deployments = deployments;
    }

    @Override
    public Optional<Summary> of(long versionId) {
        return store.find(versionId).map(row -> {
            Deployments.Deployment d = deployments.view(versionId);
            return new Summary(
                    d.state().name(),
                    d.reason(),
                    d.stateChangedAt(),
                    d.placedAt(),
                    d.weightBasisPoints(),
                    d.planGeneration(),
                    d.replicasWanted(),
                    d.replicasRunning());
        });
    }
}

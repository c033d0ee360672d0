package dev.weft.scheduler.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.deployments.Deployments.Weight;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Undeploying a version hands its traffic to the others in proportion, still adding up to 10000. */
class WeightsTest {

    @Test
    void theOthersAreScaledBackUpToTenThousandBasisPoints() {
        assertThat(DeploymentService.without(
                        List.of(new Weight("v3", 1000), new Weight("v2", 3000), new Weight("v1", 6000)), "v1"))
                .containsExactly(new Weight("v3", 2500), new Weight("v2", 7500));
        List<Weight> thirds = DeploymentService.without(
                List.of(new Weight("a", 1), new Weight("b", 1), new Weight("c", 1), new Weight("d", 9997)), "d");
        assertThat(thirds.stream().mapToInt(Weight::basisPoints).sum()).isEqualTo(10_000);
        assertThat(DeploymentService.without(List.of(new Weight("v1", 10_000)), "v1"))
                .isEmpty();
        assertThat(DeploymentService.without(List.of(new Weight("v2", 0), new Weight("v1", 10_000)), "v1"))
                .isEmpty();
    }
}

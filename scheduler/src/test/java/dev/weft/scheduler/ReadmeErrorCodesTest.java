package dev.weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.agents.AgentError;
import dev.weft.scheduler.cluster.ClusterError;
import dev.weft.scheduler.deployments.DeploymentError;
import dev.weft.scheduler.load.LoadError;
import dev.weft.scheduler.planning.PlanningError;
import dev.weft.scheduler.registry.RegistryError;
import dev.weft.scheduler.rollouts.RolloutError;
import dev.weft.scheduler.security.SecurityError;
import dev.weft.scheduler.system.CommonError;
import dev.weft.scheduler.system.ErrorCode;
import dev.weft.scheduler.violations.ViolationError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README's list of error codes names every code of the registry and of any request, with its status. */
class ReadmeErrorCodesTest {

    @Test
    void readmeListsEveryRegistryAndCommonCodeUnderItsStatus() throws IOException {
        assertListed(
                "Codes of the registry and of any request",
                Stream.concat(Stream.of(RegistryError.values()), Stream.of(CommonError.values()))
                        .toList());
    }

    @Test
    void readmeListsTheCodesTheAgentsAndLoadApisAnswerOverRest() throws IOException {
        // of AgentError only these two reach REST; the rest are gRPC statuses, listed in api/README.md
        List<ErrorCode> codes = new ArrayList<>(List.of(LoadError.values()));
        codes.add(AgentError.AGENT_NOT_FOUND);
        codes.add(AgentError.AGENT_REVOKED);
        assertListed("Codes of the agents and load APIs over REST", codes);
    }

    @Test
    void readmeListsTheCodesOfTheDeploymentsAndPlansApis() throws IOException {
        assertListed(
                "Codes of the deployments and plans APIs",
                Stream.concat(Stream.of(DeploymentError.values()), Stream.of(PlanningError.values()))
                        .toList());
    }

    @Test
    void readmeListsTheCodesOfTheRolloutsAndViolationsApis() throws IOException {
        assertListed(
                "Codes of the rollouts and violations APIs",
                Stream.concat(Stream.of(RolloutError.values()), Stream.of(ViolationError.values()))
                        .toList());
    }

    @Test
    void readmeListsTheCodesOfTheClusterOverRest() throws IOException {
        assertListed("Codes of several control-plane replicas over REST", List.of(ClusterError.values()));
    }

    @Test
    void readmeListsTheCodesOfOperatorAuthentication() throws IOException {
        assertListed("Codes of operator authentication and the tokens API", List.of(SecurityError.values()));
    }

    private static void assertListed(String heading, List<? extends ErrorCode> codes) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf(heading);
        assertThat(start).as("README's list of codes").isNotNegative();
        String list = readme.substring(start, readme.indexOf("\n\n", start));

        List<String> missing = new ArrayList<>();
        for (ErrorCode code : codes) {
            // each code is listed in a group that ends with its status: `A`, `B` (409)
            Matcher listed =
                    Pattern.compile("`" + code.name() + "`[^()]*\\((\\d{3})\\)").matcher(list);
            if (!listed.find()
                    || Integer.parseInt(listed.group(1)) != code.httpStatus().value()) {
                missing.add(code.name() + " (" + code.httpStatus().value() + ")");
            }
        }
        assertThat(missing)
                .as("codes missing from README or listed under another status")
                .isEmpty();
    }
}

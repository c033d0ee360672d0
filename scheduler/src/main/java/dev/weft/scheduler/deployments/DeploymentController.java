package dev.weft.scheduler.deployments;

import dev.weft.scheduler.deployments.Deployments.Deployment;
import dev.weft.scheduler.system.CommonError;
import dev.weft.scheduler.system.FieldError;
import dev.weft.scheduler.system.WeftException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/applications/{app}/deployments}: deploy an application's first version, list what is deployed with
 * its traffic weights, undeploy a version.
 */
@Tag(name = "Deployments", description = "Deploy and undeploy versions of an application")
@RestController
@RequestMapping("/api/v1/applications/{app}/deployments")
class DeploymentController {

    private final Deployments deployments;

    DeploymentController(Deployments deployments) {
        this.deployments = deployments;
    }

    /** The body of a deploy. */
    @Schema(description = "The version to deploy")
    record DeployRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "A registered version", example = "v1")
            @Nullable
            String version) {}

    /** What is deployed and how the application's traffic is split. */
    record DeploymentList(List<Deployment> items, List<Deployments.Weight> trafficSplit) {}

    @Operation(
            summary = "Deploy the application's first version",
            description = "The version is placed now and gets 100 % of the application's traffic once fully placed "
                    + "(every replica of its plan reported RUNNING by its agent), never before. Deploying a version that "
                    + "is already deployed answers 200 with it as it stands.")
    @ApiResponse(responseCode = "201", description = "Deployed; it is being placed. Location names it")
    @ApiResponse(responseCode = "200", description = "Already deployed: as it stands")
    @ApiResponse(
            responseCode = "400",
            description = "MISSING_FIELD (version), UNKNOWN_FIELD, INVALID_FIELD_TYPE or MALFORMED_JSON")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or VERSION_NOT_FOUND")
    @ApiResponse(
            responseCode = "409",
            description = "APPLICATION_ALREADY_SERVING: another version is deployed (a later version goes in through a "
                    + "rollout); DEPLOYMENT_RELEASING: the version is being released")
    @PostMapping
    ResponseEntity<Deployment> deploy(
            @PathVariable String app,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @io.swagger.v3.oas.annotations.media.Content(
                                            mediaType = "application/json",
                                            examples =
                                                    @io.swagger.v3.oas.annotations.media.ExampleObject(
                                                            name = "the first version",
                                                            value = "{\"version\": \"v1\"}")))
                    @RequestBody
                    @Nullable
                    DeployRequest request) {
        String version = request == null ? null : request.version();
        if (version == null || version.isBlank()) {
            throw new WeftException(List.of(new FieldError(
                    CommonError.MISSING_FIELD, "version", "Field 'version' is missing: name the version to deploy")));
        }
        boolean existed = deployments
                .deployment(app, version)
                .filter(d -> d.state() != Deployments.State.RELEASED)
                .isPresent();
        Deployment deployed = deployments.deploy(app, version);
        if (existed) {
            return ResponseEntity.ok(deployed);
        }
        return ResponseEntity.created(URI.create("/api/v1/applications/" + app + "/deployments/" + version))
                .body(deployed);
    }

    @Operation(summary = "What is deployed (not released), oldest first, and the application's traffic split")
    @ApiResponse(responseCode = "200", description = "The deployments and the split in routing order")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND")
    @GetMapping
    DeploymentList list(@PathVariable String app) {
        return new DeploymentList(deployments.deployments(app), deployments.trafficSplit(app));
    }

    @Operation(summary = "One version's deployment")
    @ApiResponse(responseCode = "200", description = "The deployment, in whatever state")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND, VERSION_NOT_FOUND or DEPLOYMENT_NOT_FOUND")
    @GetMapping("/{version}")
    Deployment get(@PathVariable String app, @PathVariable String version) {
        return deployments
                .deployment(app, version)
                .orElseThrow(() -> new WeftException(
                        DeploymentError.DEPLOYMENT_NOT_FOUND,
                        "Version '" + version + "' of '" + app + "' was never deployed"));
    }

    @Operation(
            summary = "Undeploy a version",
            description = "It loses its traffic at once (the other versions' weights are scaled up to 10000; with none "
                    + "left the application serves nothing), then its replicas are stopped; RELEASED once no agent runs "
                    + "any. Undeploying a version that is being released answers it as it stands.")
    @ApiResponse(responseCode = "202", description = "Being released")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND, VERSION_NOT_FOUND or DEPLOYMENT_NOT_FOUND")
    @ApiResponse(
            responseCode = "409",
            description =
                    "ROLLOUT_IN_PROGRESS: the version takes part in a rollout in flight (abort or finish it first)")
    @DeleteMapping("/{version}")
    ResponseEntity<Deployment> undeploy(@PathVariable String app, @PathVariable String version) {
        return ResponseEntity.accepted().body(deployments.undeploy(app, version));
    }
}

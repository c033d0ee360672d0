package dev.weft.scheduler.registry;

import static java.util.Objects.requireNonNull;

import dev.weft.scheduler.registry.RegistryService.Registration;
import dev.weft.scheduler.system.PageResponse;
import dev.weft.scheduler.system.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/applications/{app}/versions}: register (idempotently), list, read and delete versions.
 * Registering returns 201 when it stored a new version, 200 when the identical spec was already stored.
 */
@Tag(name = "Versions", description = "Immutable versions of an application")
@RestController
@RequestMapping("/api/v1/applications/{app}/versions")
class VersionController {

    private final RegistryService registry;
    private final ObjectProvider<DeploymentStatus> deployments;

    VersionController(RegistryService registry, ObjectProvider<DeploymentStatus> deployments) {
        this.registry = registry;
        this.deployments = deployments;
    }

    /**
     * A version in full: its canonical spec plus what the registry knows about it, and its deployment (null when it was
     * never deployed).
     */
    record VersionView(
            String application,
            String version,
            String artifact,
            String specHash,
            Instant createdAt,
            int servingWeightBasisPoints,
            List<VersionSpec.ComponentSpec> components,
            List<VersionSpec.EdgeSpec> edges,
            VersionSpec.ConstraintsSpec constraints,
            DeploymentStatus.@Nullable Summary deployment) {}

    /** A version in a listing. */
    record VersionSummary(
            String version, String artifact, String specHash, Instant createdAt, int components, int edges) {}

    /** A valid spec, shown in the OpenAPI document and sent (mutated) by the hostile-request generator. */
    static final String EXAMPLE = """
            {"version": "v1", "artifact": "oci://registry.example.com/shop:1.0.0",
             "components": [
               {"name": "frontend", "cpuMillis": 500, "memoryMiB": 256, "minReplicas": 2, "maxReplicas": 20, "ingress": true},
               {"name": "cart", "cpuMillis": 250, "memoryMiB": 128},
               {"name": "cart-store", "cpuMillis": 250, "memoryMiB": 512},
               {"name": "payment", "cpuMillis": 200, "memoryMiB": 128}],
             "edges": [
               {"caller": "frontend", "callee": "cart", "callsPerSecond": 720, "bytesPerCall": 600},
               {"caller": "cart", "callee": "cart-store", "callsPerSecond": 700}],
             "constraints": {
               "colocate": [["cart", "cart-store"]],
               "separate": [["payment", "frontend"]],
               "pins": [{"component": "payment", "label": "pci=true"}]}}""";

    @Operation(
            summary = "Register a version with its full spec",
            description = "Idempotent: the identical spec under an existing name returns the stored version. "
                    + "Every problem found is listed in the problem's errors, each naming its field.")
    @ApiResponse(responseCode = "201", description = "Stored as a new version; Location names it")
    @ApiResponse(responseCode = "200", description = "The identical spec was already stored under this name")
    @ApiResponse(
            responseCode = "400",
            description = "The spec breaks a rule: MALFORMED_JSON, UNKNOWN_FIELD, "
                    + "INVALID_FIELD_TYPE, MISSING_FIELD, INVALID_NAME, INVALID_ARTIFACT, NO_COMPONENTS, TOO_MANY_COMPONENTS, "
                    + "TOO_MANY_EDGES, DUPLICATE_COMPONENT, DUPLICATE_EDGE, UNKNOWN_COMPONENT, SELF_EDGE, INVALID_RESOURCE, "
                    + "INVALID_REPLICAS, INVALID_LOAD, INVALID_CONSTRAINT or CONTRADICTORY_CONSTRAINTS")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "VERSION_CONFLICT: the name is taken by a different spec")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<VersionView> register(
            @PathVariable String app,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = VersionSpec.class),
                                            examples = @ExampleObject(name = "shop", value = EXAMPLE)))
                    @RequestBody
                    VersionSpec spec) {
        Registration registration;
        try {
            registration = registry.register(app, spec);
        } catch (DataIntegrityViolationException refused) {
            if (!DuplicateKeys.isDuplicateKey(refused)) {
                throw refused;
            }
            // Another request stored the same version name between our check and our insert: decide again.
            registration = registry.register(app, spec);
        }
        VersionView view = view(app, registration.version());
        if (registration.created()) {
            return ResponseEntity.created(URI.create("/api/v1/applications/" + app + "/versions/" + view.version()))
                    .body(view);
        }
        return ResponseEntity.status(HttpStatus.OK).body(view);
    }

    @Operation(summary = "List an application's versions, newest first")
    @ApiResponse(responseCode = "200", description = "One page of versions")
    @ApiResponse(responseCode = "400", description = "INVALID_PARAMETER: page below 0 or size outside 1..500")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND")
    @GetMapping
    PageResponse<VersionSummary> list(
            @PathVariable String app,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        Page<VersionEntity> found = registry.listVersions(
                app,
                Paging.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt").and(Sort.by("name"))));
        return new PageResponse<>(
                found.map(v -> {
                            VersionSpec spec = registry.spec(v);
                            return new VersionSummary(
                                    v.name(),
                                    v.artifactRef(),
                                    v.specHash(),
                                    v.createdAt(),
                                    requireNonNull(spec.components()).size(),
                                    requireNonNull(spec.edges()).size());
                        })
                        .toList(),
                page,
                size,
                found.getTotalElements());
    }

    @Operation(summary = "Read a version: its canonical spec, hash, serving weight and deployment")
    @ApiResponse(responseCode = "200", description = "The version")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or VERSION_NOT_FOUND")
    @GetMapping("/{version}")
    VersionView get(@PathVariable String app, @PathVariable String version) {
        return view(app, registry.version(registry.application(app), version));
    }

    @Operation(summary = "Delete a version")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or VERSION_NOT_FOUND")
    @ApiResponse(
            responseCode = "409",
            description = "VERSION_IN_USE: it serves traffic, is in a rollout in flight, "
                    + "or has replicas assigned by its active plan")
    @DeleteMapping("/{version}")
    ResponseEntity<Void> delete(@PathVariable String app, @PathVariable String version) {
        registry.deleteVersion(app, version);
        return ResponseEntity.noContent().build();
    }

    private VersionView view(String app, VersionEntity version) {
        VersionSpec spec = registry.spec(version);
        return new VersionView(
                app,
                version.name(),
                version.artifactRef(),
                version.specHash(),
                version.createdAt(),
                registry.servingWeight(version),
                // a stored spec is canonical: every list is present
                requireNonNull(spec.components()),
                requireNonNull(spec.edges()),
                requireNonNull(spec.constraints()),
                deployment(version));
    }

    private DeploymentStatus.@Nullable Summary deployment(VersionEntity version) {
        DeploymentStatus status = deployments.getIfAvailable();
        return status == null ? null : status.of(version.id()).orElse(null);
    }
}

package dev.weft.scheduler.registry;

import dev.weft.scheduler.system.FieldError;
import dev.weft.scheduler.system.PageResponse;
import dev.weft.scheduler.system.Paging;
import dev.weft.scheduler.system.WeftException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Sort;
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

/** {@code /api/v1/applications}: create, list, read and delete applications. */
@Tag(name = "Applications", description = "Names that versions belong to")
@RestController
@RequestMapping("/api/v1/applications")
class ApplicationController {

    private final RegistryService registry;

    ApplicationController(RegistryService registry) {
        this.registry = registry;
    }

    /** Body of {@code POST /api/v1/applications}. */
    record CreateApplication(
            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "A DNS label that starts with a letter",
                    pattern = Names.LABEL_PATTERN,
                    minLength = 1,
                    maxLength = 63,
                    example = "shop")
            @Nullable
            String name) {}

    /** An application as the API shows it. */
    record ApplicationView(String name, Instant createdAt, long versions) {}

    @Operation(summary = "Create an application")
    @ApiResponse(responseCode = "201", description = "Created; Location names it")
    @ApiResponse(
            responseCode = "400",
            description = "MALFORMED_JSON, UNKNOWN_FIELD, INVALID_FIELD_TYPE, MISSING_FIELD or INVALID_NAME")
    @ApiResponse(responseCode = "409", description = "APPLICATION_EXISTS")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ApplicationView> create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = CreateApplication.class),
                                            examples = @ExampleObject(name = "shop", value = "{\"name\": \"shop\"}")))
                    @RequestBody
                    CreateApplication request) {
        String name = request.name();
        if (name == null) {
            throw new WeftException(
                    List.of(new FieldError(RegistryError.MISSING_FIELD, "name", "Required field 'name' is missing")));
        }
        if (!Names.isLabel(name)) {
            throw new WeftException(List.of(new FieldError(
                    RegistryError.INVALID_NAME,
                    "name",
                    "Application name '" + Names.shown(name) + "' is invalid: " + Names.LABEL_RULE)));
        }
        ApplicationEntity created;
        try {
            created = registry.createApplication(name);
        } catch (DataIntegrityViolationException refused) {
            if (!DuplicateKeys.isDuplicateKey(refused)) {
                throw refused;
            }
            // another request created the same name between our check and our insert
            throw new WeftException(RegistryError.APPLICATION_EXISTS, "Application '" + name + "' already exists");
        }
        return ResponseEntity.created(URI.create("/api/v1/applications/" + name))
                .body(new ApplicationView(created.name(), created.createdAt(), 0));
    }

    @Operation(summary = "List applications by name")
    @ApiResponse(responseCode = "200", description = "One page of applications")
    @ApiResponse(responseCode = "400", description = "INVALID_PARAMETER: page below 0 or size outside 1..500")
    @GetMapping
    PageResponse<ApplicationView> list(
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        Page<ApplicationEntity> found = registry.listApplications(Paging.of(page, size, Sort.by("name")));
        return new PageResponse<>(found.map(this::view).toList(), page, size, found.getTotalElements());
    }

    @Operation(summary = "Read an application and its number of versions")
    @ApiResponse(responseCode = "200", description = "The application")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND")
    @GetMapping("/{app}")
    ApplicationView get(@PathVariable String app) {
        return view(registry.application(app));
    }

    @Operation(summary = "Delete an application and all its versions")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND")
    @ApiResponse(
            responseCode = "409",
            description = "APPLICATION_IN_USE: a version serves traffic, is in a rollout "
                    + "in flight, or has replicas assigned by its active plan")
    @DeleteMapping("/{app}")
    ResponseEntity<Void> delete(@PathVariable String app) {
        registry.deleteApplication(app);
        return ResponseEntity.noContent().build();
    }

    private ApplicationView view(ApplicationEntity application) {
        return new ApplicationView(application.name(), application.createdAt(), registry.versionCount(application));
    }
}

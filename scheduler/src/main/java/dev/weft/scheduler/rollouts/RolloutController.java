package dev.weft.scheduler.rollouts;

import dev.weft.rollout.OperatorAction;
import dev.weft.scheduler.system.CommonError;
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
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/applications/{app}/rollouts}: start, watch and steer rollouts of an application. */
@Tag(name = "Rollouts", description = "Atomic versioned rollouts of a whole application, gated and reversible")
@RestController
@RequestMapping("/api/v1/applications/{app}/rollouts")
class RolloutController {

    private static final String CONFLICTS = "409 codes: ROLLOUT_FINISHED (done or rolled back), ROLLOUT_ABORTING, "
            + "ALREADY_PAUSED, NOT_PAUSED, NOT_PLACED, ALREADY_PROMOTED, NOT_PROMOTED, ROLLBACK_WINDOW_CLOSED";

    private final RolloutService rollouts;

    RolloutController(RolloutService rollouts) {
        this.rollouts = rollouts;
    }

    /** The body of a start. */
    @Schema(description = "The version to roll out and the policy to follow")
    record StartRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "A registered version", example = "v2")
            @Nullable
            String version,

            @Schema(
                    description = "A preset's name (canary, blue-green, immediate) or an inline policy "
                            + "object (README, Rollouts); canary when absent",
                    oneOf = {String.class, Object.class})
            @Nullable
            PolicyChoice policy) {}

    @Operation(
            summary = "Start a rollout of the application to a version",
            description = "The new version is placed in full beside the serving one before it gets any traffic, then "
                    + "ramps step by step, each step gated on the new version measured against the old over the same "
                    + "interval. policy: a preset name or an inline policy (steps with weight in percent and hold, "
                    + "gates, minRequests, progressDeadline, drainTimeout); unknown fields are refused.")
    @ApiResponse(responseCode = "201", description = "Started (PENDING). Location names it")
    @ApiResponse(
            responseCode = "400",
            description = "MISSING_FIELD, UNKNOWN_FIELD, INVALID_FIELD_TYPE, MALFORMED_JSON, UNKNOWN_POLICY, "
                    + "INVALID_STEPS, INVALID_WEIGHT, INVALID_DURATION, INVALID_GATE, INVALID_MIN_REQUESTS or "
                    + "UNKNOWN_COMPONENT, at the field's path (policy.steps[0].hold, say)")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or VERSION_NOT_FOUND")
    @ApiResponse(
            responseCode = "409",
            description = "ROLLOUT_IN_PROGRESS (one rollout per application at a time), NO_SERVING_VERSION (deploy "
                    + "the first version instead) or SAME_VERSION")
    @PostMapping
    ResponseEntity<RolloutView> start(
            @PathVariable String app,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            examples = {
                                                @ExampleObject(
                                                        name = "a preset",
                                                        value = "{\"version\": \"v2\", \"policy\": \"canary\"}"),
                                                @ExampleObject(
                                                        name = "an inline policy",
                                                        value = "{\"version\": \"v2\", \"policy\": {\"steps\": "
                                                                + "[{\"weight\": 10, \"hold\": \"2m\"}, {\"weight\": "
                                                                + "50, \"hold\": \"5m\"}, {\"weight\": 100}], "
                                                                + "\"gates\": [{\"metric\": \"errorRate\", \"max\": "
                                                                + "0.01}, {\"metric\": \"latencyP99Ratio\", \"max\": "
                                                                + "1.2}], \"minRequests\": 500, \"progressDeadline\": "
                                                                + "\"30m\"}}")
                                            }))
                    @RequestBody
                    @Nullable
                    StartRequest request,
            HttpServletRequest http) {
        String version = request == null ? null : request.version();
        if (request == null || version == null || version.isBlank()) {
            throw new WeftException(List.of(new FieldError(
                    CommonError.MISSING_FIELD, "version", "Field 'version' is missing: name the version to roll out")));
        }
        PolicyChoice policy = request.policy() == null ? new PolicyChoice.Named("canary") : request.policy();
        RolloutView started = rollouts.start(app, version, policy, actor(http));
        return ResponseEntity.created(URI.create("/api/v1/applications/" + app + "/rollouts/" + started.id()))
                .body(started);
    }

    @Operation(summary = "The application's rollouts, newest first")
    @ApiResponse(responseCode = "200", description = "One page of rollouts")
    @ApiResponse(responseCode = "400", description = "INVALID_PARAMETER: page below 0 or size outside 1..500")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND")
    @GetMapping
    PageResponse<RolloutView> history(
            @PathVariable String app,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        PageRequest request = Paging.of(page, size, Sort.unsorted());
        RolloutService.Page found = rollouts.history(app, (int) request.getOffset(), size);
        return new PageResponse<>(found.items(), page, size, found.total());
    }

    @Operation(summary = "One rollout: state, step, weights, each gate's readings for both versions, time left")
    @ApiResponse(responseCode = "200", description = "The rollout")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or ROLLOUT_NOT_FOUND")
    @GetMapping("/{id}")
    RolloutView get(@PathVariable String app, @PathVariable String id) {
        return rollouts.get(app, id(app, id));
    }

    @Operation(
            summary = "Pause a rollout",
            description = "It stops progressing (the hold and the deadline stand still; traffic stays as it is). "
                    + "Protection keeps running: a violation, a failed placement or a failing gate still rolls back.")
    @ApiResponse(responseCode = "200", description = "Paused")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or ROLLOUT_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = CONFLICTS)
    @PostMapping("/{id}/pause")
    RolloutView pause(@PathVariable String app, @PathVariable String id, HttpServletRequest http) {
        return rollouts.request(app, id(app, id), OperatorAction.PAUSE, actor(http));
    }

    @Operation(summary = "Resume a paused rollout where it stopped, with the hold it had left")
    @ApiResponse(responseCode = "200", description = "Resumed")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or ROLLOUT_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = CONFLICTS)
    @PostMapping("/{id}/resume")
    RolloutView resume(@PathVariable String app, @PathVariable String id, HttpServletRequest http) {
        return rollouts.request(app, id(app, id), OperatorAction.RESUME, actor(http));
    }

    @Operation(
            summary = "Promote: skip the remaining steps",
            description = "100 % of new requests go to the new version now (it must be placed in full); the old one "
                    + "stays placed at 0 % for the rollback window.")
    @ApiResponse(responseCode = "200", description = "Promoted")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or ROLLOUT_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = CONFLICTS)
    @PostMapping("/{id}/promote")
    RolloutView promote(@PathVariable String app, @PathVariable String id, HttpServletRequest http) {
        return rollouts.request(app, id(app, id), OperatorAction.PROMOTE, actor(http));
    }

    @Operation(
            summary = "Abort a rollout before promotion",
            description = "Traffic goes back to the old version at once; the new version is drained (in-flight "
                    + "requests to zero, or the drain timeout) and released.")
    @ApiResponse(responseCode = "200", description = "Aborting (or rolled back at once if no traffic reached it)")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or ROLLOUT_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = CONFLICTS)
    @PostMapping("/{id}/abort")
    RolloutView abort(@PathVariable String app, @PathVariable String id, HttpServletRequest http) {
        return rollouts.request(app, id(app, id), OperatorAction.ABORT, actor(http));
    }

    @Operation(
            summary = "Roll back a promoted rollout within its rollback window",
            description = "A traffic switch: the old version, still placed, takes 100 % at once; the new version is "
                    + "then drained and released.")
    @ApiResponse(responseCode = "200", description = "Rolling back")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or ROLLOUT_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = CONFLICTS)
    @PostMapping("/{id}/rollback")
    RolloutView rollback(@PathVariable String app, @PathVariable String id, HttpServletRequest http) {
        return rollouts.request(app, id(app, id), OperatorAction.ROLLBACK, actor(http));
    }

    /** A rollout id: a positive number; anything else names no rollout. */
    private static long id(String app, String id) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // falls through
        }
        throw new WeftException(
                RolloutError.ROLLOUT_NOT_FOUND,
                "Application '" + app + "' has no rollout '" + id + "': rollout ids are positive numbers");
    }

    /** Who asked: the authenticated principal's name, or {@code anonymous} while the API has no accounts. */
    static String actor(HttpServletRequest http) {
        Principal principal = http.getUserPrincipal();
        return principal == null ? "anonymous" : principal.getName();
    }
}

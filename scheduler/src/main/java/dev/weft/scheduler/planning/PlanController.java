package dev.weft.scheduler.planning;

import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import dev.weft.scheduler.system.PageResponse;
import dev.weft.scheduler.system.Paging;
import dev.weft.scheduler.system.WeftException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/applications/{app}/versions/{version}/plan...}: a version's current plan, its history of
 * generations, the diff between two, a what-if preview and a manual re-plan.
 */
@Tag(name = "Plans", description = "Colocation plans of a version: current, history, diff, what-if, re-plan")
@RestController
@RequestMapping("/api/v1/applications/{app}/versions/{version}")
class PlanController {

    private final Registry registry;
    private final PlanStore store;
    private final PlanningLoop loop;
    private final Preview preview;

    PlanController(Registry registry, PlanStore store, PlanningLoop loop, Preview preview) {
        this.registry = registry;
        this.store = store;
        this.loop = loop;
        this.preview = preview;
    }

    @Operation(
            summary = "The version's current (active) plan",
            description = "Groups with their replicas and the agent and assignment id of each, score, both baselines, "
                    + "explanations, what could not be placed, the inputs it was computed from, the diff from the plan "
                    + "before it, and why it was applied.")
    @ApiResponse(responseCode = "200", description = "The plan")
    @ApiResponse(
            responseCode = "404",
            description = "APPLICATION_NOT_FOUND, VERSION_NOT_FOUND, or PLAN_NOT_FOUND: no plan applied yet")
    @GetMapping("/plan")
    PlanView current(@PathVariable String app, @PathVariable String version) {
        RegisteredVersion v = version(app, version);
        return store.active(v.id())
                .map(p -> PlanView.of(app, version, p))
                .orElseThrow(() -> new WeftException(
                        PlanningError.PLAN_NOT_FOUND,
                        "Version '" + version + "' of '" + app + "' has no applied plan"
                                + (store.count(v.id()) > 0
                                        ? "; its latest computed plan was not applied (see .../plans)"
                                        : "; deploy it first (POST /api/v1/applications/" + app + "/deployments)")));
    }

    @Operation(summary = "Every computed plan of the version, newest generation first (applied or not, and why)")
    @ApiResponse(responseCode = "200", description = "One page of generations")
    @ApiResponse(responseCode = "400", description = "INVALID_PARAMETER: page below 0 or size outside 1..500")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or VERSION_NOT_FOUND")
    @GetMapping("/plans")
    PageResponse<PlanView.Summary> history(
            @PathVariable String app,
            @PathVariable String version,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        RegisteredVersion v = version(app, version);
        PageRequest request = Paging.of(page, size, Sort.unsorted());
        return new PageResponse<>(
                store.history(v.id(), request.getOffset(), size).stream()
                        .map(PlanView.Summary::of)
                        .toList(),
                page,
                size,
                store.count(v.id()));
    }

    @Operation(summary = "One generation of the version's plan")
    @ApiResponse(responseCode = "200", description = "The generation")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND, VERSION_NOT_FOUND or GENERATION_NOT_FOUND")
    @ApiResponse(responseCode = "400", description = "INVALID_PARAMETER: a generation that is not a whole number")
    @GetMapping("/plans/{generation}")
    PlanView generation(@PathVariable String app, @PathVariable String version, @PathVariable long generation) {
        return PlanView.of(app, version, find(version(app, version), generation));
    }

    @Operation(
            summary = "What changes from one generation to another",
            description = "Replicas moved (with their agents), added, removed, unchanged and restarted; the components "
                    + "regrouped; both generations' groups and costs.")
    @ApiResponse(responseCode = "200", description = "The diff")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND, VERSION_NOT_FOUND or GENERATION_NOT_FOUND")
    @ApiResponse(responseCode = "400", description = "INVALID_PARAMETER: a generation that is not a whole number")
    @GetMapping("/plans/{from}/diff/{to}")
    PlanView.Diff diff(
            @PathVariable String app, @PathVariable String version, @PathVariable long from, @PathVariable long to) {
        RegisteredVersion v = version(app, version);
        PlanRecord a = find(v, from);
        PlanRecord b = find(v, to);
        Double costA = a.score() == null ? null : a.score().costPerHour();
        Double costB = b.score() == null ? null : b.score().costPerHour();
        return new PlanView.Diff(
                app,
                version,
                from,
                to,
                costA,
                costB,
                costA == null || costB == null ? null : costB - costA,
                PlanDiffView.between(a.groups(), b.groups()),
                a.groups(),
                b.groups());
    }

    @Operation(
            summary = "What-if: the plan today's inputs would give with overrides, without applying anything",
            description = "Overrides: load multiplied (all, or per component), agents removed or added (with "
                    + "capacity), constraints added or removed, cost-model parameters. Returns the plan, its cost, the "
                    + "running plan's cost at the same load, and the moves from the running plan.")
    @ApiResponse(responseCode = "200", description = "The preview (FEASIBLE, or INFEASIBLE with the reasons)")
    @ApiResponse(
            responseCode = "400",
            description = "INVALID_PREVIEW (the field is named), UNKNOWN_FIELD, INVALID_FIELD_TYPE or MALFORMED_JSON")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or VERSION_NOT_FOUND")
    @PostMapping("/plan/preview")
    Preview.View preview(
            @PathVariable String app,
            @PathVariable String version,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @io.swagger.v3.oas.annotations.media.Content(
                                            mediaType = "application/json",
                                            examples =
                                                    @io.swagger.v3.oas.annotations.media.ExampleObject(
                                                            name = "twice the load",
                                                            value = "{\"loadFactor\": 2}")))
                    @RequestBody(required = false)
                    @Nullable
                    PreviewRequest request) {
        return preview.preview(
                version(app, version),
                request == null ? new PreviewRequest(null, null, null, null, null, null, null) : request);
    }

    @Operation(
            summary = "Re-plan the version now",
            description = "Plans the deployed version at once and answers with the generation computed: applied when "
                    + "it beats the running plan by the hysteresis margin or the running plan became invalid, "
                    + "otherwise stored with the reason it was not applied.")
    @ApiResponse(responseCode = "200", description = "The generation computed")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or VERSION_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "VERSION_NOT_DEPLOYED: deploy it first")
    @ApiResponse(responseCode = "503", description = "PLANNER_BUSY: no answer within 30 s; the re-plan still happens")
    @PostMapping("/plan/replan")
    PlanView replan(@PathVariable String app, @PathVariable String version) {
        RegisteredVersion v = version(app, version);
        if (store.planned(v.id()).isEmpty()) {
            throw notDeployed(app, version);
        }
        Replanner.Run run;
        try {
            run = loop.requestAndWait(v.id(), new Trigger(Trigger.Kind.OPERATOR, "re-plan requested over REST"))
                    .get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new WeftException(
                    PlanningError.PLANNER_BUSY, "The planner did not answer within 30 s; the re-plan is still queued");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeftException(PlanningError.PLANNER_BUSY, "Interrupted while waiting for the planner");
        } catch (ExecutionException e) {
            throw new IllegalStateException("re-planning " + app + " " + version + " failed", e.getCause());
        }
        return switch (run) {
            case Replanner.Run.Stored stored -> PlanView.of(app, version, stored.plan());
            case Replanner.Run.Nothing nothing ->
                throw new WeftException(
                        PlanningError.VERSION_NOT_DEPLOYED,
                        "Version '" + version + "' of '" + app + "' was not re-planned: " + nothing.why());
            case Replanner.Run.Stale stale -> throw new IllegalStateException("a stale run is planned again");
        };
    }

    private static WeftException notDeployed(String app, String version) {
        return new WeftException(
                PlanningError.VERSION_NOT_DEPLOYED,
                "Version '" + version + "' of '" + app
                        + "' is not deployed; deploy it first (POST /api/v1/applications/" + app
                        + "/deployments {\"version\": \"" + version + "\"})");
    }

    private PlanRecord find(RegisteredVersion v, long generation) {
        return store.generation(v.id(), generation)
                .orElseThrow(() -> new WeftException(
                        PlanningError.GENERATION_NOT_FOUND,
                        "Version '" + v.name() + "' of '" + v.application() + "' has no plan generation " + generation
                                + " (it has " + store.count(v.id()) + ")"));
    }

    private RegisteredVersion version(String app, String version) {
        return registry.version(app, version)
                .orElseThrow(() -> store.applicationExists(app)
                        ? new WeftException(
                                PlanningError.VERSION_NOT_FOUND,
                                "Application '" + app + "' has no version '" + version + "'")
                        : new WeftException(
                                PlanningError.APPLICATION_NOT_FOUND, "Application '" + app + "' does not exist"));
    }
}

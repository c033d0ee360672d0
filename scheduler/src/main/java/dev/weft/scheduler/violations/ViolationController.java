package dev.weft.scheduler.violations;

import dev.weft.scheduler.violations.Violations.Summary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/applications/{app}/violations}: the proof (or not) that calls stayed inside their version. */
@Tag(name = "Violations", description = "Calls that crossed versions (the target is zero)")
@RestController
class ViolationController {

    private final ViolationStore store;

    ViolationController(ViolationStore store) {
        this.store = store;
    }

    @Operation(
            summary = "Calls of the application that crossed versions",
            description = "Every call from a component of one version into a component of another that an agent "
                    + "refused (source AGENT_REFUSED) or that a load report listed (LOAD_EDGE), grouped by kind of call "
                    + "and source, newest first (at most 1000 kinds listed); totalCalls sums every one. Zero is the "
                    + "target: an application whose versions stayed isolated reads totalCalls 0 and no items.")
    @ApiResponse(responseCode = "200", description = "The application's violations")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND")
    @GetMapping("/api/v1/applications/{app}/violations")
    Summary violations(@PathVariable String app) {
        return store.summary(app);
    }
}

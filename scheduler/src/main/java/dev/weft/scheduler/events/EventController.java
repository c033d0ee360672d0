package dev.weft.scheduler.events;

import dev.weft.scheduler.system.PageResponse;
import dev.weft.scheduler.system.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/events}: the audit log, newest first, optionally for one application. */
@Tag(name = "Events", description = "The audit log")
@RestController
@RequestMapping("/api/v1/events")
class EventController {

    private final AuditLog auditLog;

    EventController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @Operation(summary = "The audit log, newest first, optionally only one application's events")
    @ApiResponse(responseCode = "200", description = "One page of events")
    @ApiResponse(responseCode = "400", description = "INVALID_PARAMETER: page below 0 or size outside 1..500")
    @GetMapping
    PageResponse<AuditLog.EventView> list(
            @RequestParam(required = false) @Nullable String application,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        PageRequest request = Paging.of(page, size, Sort.unsorted());
        return new PageResponse<>(
                auditLog.newestFirst(application, (int) request.getOffset(), size),
                page,
                size,
                auditLog.count(application));
    }
}

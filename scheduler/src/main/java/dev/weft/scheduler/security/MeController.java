package dev.weft.scheduler.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/me}: who the credentials belong to and what they may do, so a client shows only that. */
@Tag(name = "Tokens")
@RestController
class MeController {

    /** The caller. */
    record Me(
            @Schema(description = "The token's or account's name, as the audit log records it")
            String name,

            @Schema(allowableValues = {"viewer", "operator", "admin"})
            String role) {}

    @Operation(summary = "Who the caller is and which role it holds")
    @ApiResponse(responseCode = "200", description = "The caller")
    @GetMapping("/api/v1/me")
    Me me(Authentication authentication) {
        Role role = Role.of(authentication);
        return new Me(authentication.getName(), role == null ? "none" : role.wire());
    }
}

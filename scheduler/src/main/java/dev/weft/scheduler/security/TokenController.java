package dev.weft.scheduler.security;

import dev.weft.scheduler.system.CommonError;
import dev.weft.scheduler.system.FieldError;
import dev.weft.scheduler.system.WeftException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
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

/** {@code /api/v1/tokens} (admin): issue, list, read and revoke operator API tokens. */
@Tag(name = "Tokens", description = "Operator API tokens: issued with a role and an expiry, shown once, revocable")
@RestController
@RequestMapping("/api/v1/tokens")
class TokenController {

    static final String NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,62}$";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

    private final ApiTokens tokens;
    private final SecurityProperties properties;

    TokenController(ApiTokens tokens, SecurityProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    /** Body of {@code POST /api/v1/tokens}. */
    record IssueToken(
            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "Who or what uses the token; the audit log records it for every action",
                    pattern = NAME_PATTERN,
                    example = "ci-deploy")
            @Nullable
            String name,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    allowableValues = {"viewer", "operator", "admin"},
                    example = "operator")
            @Nullable
            String role,

            @Schema(
                    description =
                            "Days until it expires, 1 up to weft.security.max-token-lifetime (3650 days by default);"
                                    + " absent: weft.security.default-token-lifetime (90 days)",
                    minimum = "1",
                    example = "30")
            @Nullable
            Integer expiresInDays) {}

    /** A token just issued, with its secret: shown in this answer only, never again. */
    record IssuedToken(
            long id,
            String name,
            String role,
            String hint,
            String state,
            Instant createdAt,
            String createdBy,
            Instant expiresAt,

            @Schema(
                    description = "The token itself, for 'Authorization: Bearer ...': shown only in this answer",
                    example = "weft_Qm9vdHN0cmFwIHRva2VuIGZvciBkb2N1bWVudGF0aW9u")
            String token) {}

    /** Tokens, newest first. */
    record TokenList(List<ApiTokens.TokenView> items) {}

    @Operation(
            summary = "Issue a token with a role and an expiry; the answer is the only time its secret is shown",
            description = "201 with the token in `token`. There is no Location to read it back from: no later answer"
                    + " shows the secret, only a SHA-256 of it is stored. GET /api/v1/tokens/{tokenId} reads the rest.")
    @ApiResponse(responseCode = "201", description = "Issued")
    @ApiResponse(
            responseCode = "400",
            description =
                    "MALFORMED_JSON, UNKNOWN_FIELD, INVALID_FIELD_TYPE, MISSING_FIELD or INVALID_CREDENTIAL_REQUEST (a name"
                            + " outside the pattern, an unknown role, an expiry out of range)")
    @ApiResponse(responseCode = "409", description = "TOKEN_NAME_TAKEN: a live token has this name")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<IssuedToken> issue(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = IssueToken.class),
                                            examples =
                                                    @ExampleObject(
                                                            name = "ci",
                                                            value =
                                                                    "{\"name\": \"ci-deploy\", \"role\": \"operator\", \"expiresInDays\": 30}")))
                    @RequestBody
                    IssueToken request,
            Principal principal) {
        List<FieldError> errors = new ArrayList<>();
        String name = request.name();
        if (name == null) {
            errors.add(new FieldError(CommonError.MISSING_FIELD, "name", "Required field 'name' is missing"));
        } else if (!NAME.matcher(name).matches()) {
            errors.add(new FieldError(
                    SecurityError.INVALID_CREDENTIAL_REQUEST,
                    "name",
                    "Token name '" + shown(name) + "' is invalid: 1 to 63 letters, digits, '.', '_', '@' or '-',"
                            + " starting with a letter or digit"));
        }
        Role role = Role.fromWire(request.role());
        if (request.role() == null) {
            errors.add(new FieldError(CommonError.MISSING_FIELD, "role", "Required field 'role' is missing"));
        } else if (role == null) {
            errors.add(new FieldError(
                    SecurityError.INVALID_CREDENTIAL_REQUEST,
                    "role",
                    "Role '" + shown(request.role()) + "' is unknown; roles are viewer, operator and admin"));
        }
        Duration lifetime = properties.defaultTokenLifetime();
        Integer days = request.expiresInDays();
        long maxDays = properties.maxTokenLifetime().toDays();
        if (days != null) {
            if (days < 1 || days > maxDays) {
                errors.add(new FieldError(
                        SecurityError.INVALID_CREDENTIAL_REQUEST,
                        "expiresInDays",
                        "expiresInDays must be from 1 to " + maxDays + ", was " + days));
            } else {
                lifetime = Duration.ofDays(days);
            }
        }
        if (!errors.isEmpty() || name == null || role == null) {
            throw new WeftException(errors);
        }
        ApiTokens.Issued issued = tokens.issue(name, role, lifetime, principal.getName());
        ApiTokens.TokenView view = issued.view();
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new IssuedToken(
                        view.id(),
                        view.name(),
                        view.role(),
                        view.hint(),
                        view.state(),
                        view.createdAt(),
                        view.createdBy(),
                        view.expiresAt(),
                        issued.token()));
    }

    @Operation(summary = "List tokens newest first, without their secrets; revoked ones only when asked")
    @ApiResponse(responseCode = "200", description = "The tokens")
    @ApiResponse(responseCode = "400", description = "INVALID_PARAMETER: includeRevoked is not true or false")
    @GetMapping
    TokenList list(@RequestParam(defaultValue = "false") boolean includeRevoked) {
        return new TokenList(tokens.list(includeRevoked));
    }

    @Operation(summary = "Read one token, without its secret")
    @ApiResponse(responseCode = "200", description = "The token")
    @ApiResponse(responseCode = "400", description = "INVALID_PARAMETER: tokenId is not a whole number")
    @ApiResponse(responseCode = "404", description = "TOKEN_NOT_FOUND")
    @GetMapping("/{tokenId}")
    ApiTokens.TokenView get(@PathVariable long tokenId) {
        return tokens.get(tokenId);
    }

    @Operation(summary = "Revoke a token at once; revoking a revoked token answers the same and changes nothing")
    @ApiResponse(responseCode = "200", description = "The revoked token")
    @ApiResponse(responseCode = "400", description = "INVALID_PARAMETER: tokenId is not a whole number")
    @ApiResponse(responseCode = "404", description = "TOKEN_NOT_FOUND")
    @DeleteMapping("/{tokenId}")
    ApiTokens.TokenView revoke(@PathVariable long tokenId, Principal principal) {
        return tokens.revoke(tokenId, principal.getName());
    }

    static String shown(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        StringBuilder out = new StringBuilder();
        cut.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : "?"));
        return out.toString();
    }
}

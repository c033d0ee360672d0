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
import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/accounts} (admin): password accounts that sign in to the dashboard. */
@Tag(name = "Accounts", description = "Password accounts for the dashboard, each with a role")
@RestController
@RequestMapping("/api/v1/accounts")
class AccountController {

    private static final Pattern NAME = Pattern.compile(TokenController.NAME_PATTERN);

    private final OperatorAccounts accounts;

    AccountController(OperatorAccounts accounts) {
        this.accounts = accounts;
    }

    /** Body of {@code POST /api/v1/accounts}. */
    record CreateAccount(
            @Schema(requiredMode = RequiredMode.REQUIRED, pattern = TokenController.NAME_PATTERN, example = "alice")
            @Nullable
            String name,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    allowableValues = {"viewer", "operator", "admin"},
                    example = "viewer")
            @Nullable
            String role,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "12 to 128 characters; stored as a bcrypt hash only",
                    minLength = 12,
                    maxLength = 128,
                    example = "correct horse battery")
            @Nullable
            String password) {}

    /** Accounts by name. */
    record AccountList(List<OperatorAccounts.AccountView> items) {}

    @Operation(summary = "Create a password account with a role")
    @ApiResponse(responseCode = "201", description = "Created; Location names it")
    @ApiResponse(
            responseCode = "400",
            description =
                    "MALFORMED_JSON, UNKNOWN_FIELD, INVALID_FIELD_TYPE, MISSING_FIELD or INVALID_CREDENTIAL_REQUEST (a name"
                            + " outside the pattern, an unknown role, a password shorter than 12 or longer than 128)")
    @ApiResponse(responseCode = "409", description = "ACCOUNT_EXISTS")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<OperatorAccounts.AccountView> create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = CreateAccount.class),
                                            examples =
                                                    @ExampleObject(
                                                            name = "alice",
                                                            value =
                                                                    "{\"name\": \"alice\", \"role\": \"viewer\", \"password\": \"correct horse battery\"}")))
                    @RequestBody
                    CreateAccount request,
            Principal principal) {
        List<FieldError> errors = new ArrayList<>();
        String name = request.name();
        if (name == null) {
            errors.add(new FieldError(CommonError.MISSING_FIELD, "name", "Required field 'name' is missing"));
        } else if (!NAME.matcher(name).matches()) {
            errors.add(new FieldError(
                    SecurityError.INVALID_CREDENTIAL_REQUEST,
                    "name",
                    "Account name '" + TokenController.shown(name) + "' is invalid: 1 to 63 letters, digits, '.',"
                            + " '_', '@' or '-', starting with a letter or digit"));
        }
        Role role = Role.fromWire(request.role());
        if (request.role() == null) {
            errors.add(new FieldError(CommonError.MISSING_FIELD, "role", "Required field 'role' is missing"));
        } else if (role == null) {
            errors.add(new FieldError(
                    SecurityError.INVALID_CREDENTIAL_REQUEST,
                    "role",
                    "Role '" + TokenController.shown(request.role())
                            + "' is unknown; roles are viewer, operator and admin"));
        }
        String password = request.password();
        if (password == null) {
            errors.add(new FieldError(CommonError.MISSING_FIELD, "password", "Required field 'password' is missing"));
        } else if (password.codePointCount(0, password.length()) < 12 || password.length() > 128) {
            errors.add(new FieldError(
                    SecurityError.INVALID_CREDENTIAL_REQUEST,
                    "password",
                    "password must have 12 to 128 characters, had " + password.codePointCount(0, password.length())));
        }
        if (!errors.isEmpty() || name == null || role == null || password == null) {
            throw new WeftException(errors);
        }
        OperatorAccounts.AccountView created = accounts.create(name, role, password, principal.getName());
        return ResponseEntity.created(URI.create("/api/v1/accounts/" + name)).body(created);
    }

    @Operation(summary = "List password accounts by name (the first admin, from configuration, is not listed)")
    @ApiResponse(responseCode = "200", description = "The accounts")
    @GetMapping
    AccountList list() {
        return new AccountList(accounts.list());
    }

    @Operation(summary = "Read one account")
    @ApiResponse(responseCode = "200", description = "The account")
    @ApiResponse(responseCode = "404", description = "ACCOUNT_NOT_FOUND")
    @GetMapping("/{name}")
    OperatorAccounts.AccountView get(@PathVariable String name) {
        return accounts.get(name);
    }

    @Operation(summary = "Delete an account: it can no longer sign in (an open session lasts until it ends)")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "ACCOUNT_NOT_FOUND")
    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String name) {
        accounts.delete(name);
        return ResponseEntity.noContent().build();
    }
}

package dev.weft.scheduler.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Locale;
import java.util.Optional;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Documents what {@link AccessPolicy} enforces: the bearer-token scheme, and on every operation the role it needs,
 * its 401 {@code UNAUTHENTICATED} and, where a viewer is not enough, its 403 {@code FORBIDDEN}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityOpenApi {

    static final String SCHEME = "operatorToken";

    @Bean
    OpenApiCustomizer operatorAuthentication() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents()
                    .addSecuritySchemes(
                            SCHEME,
                            new SecurityScheme()
                                    .type(SecurityScheme.Type.HTTP)
                                    .scheme("bearer")
                                    .bearerFormat("weft_<secret>")
                                    .description("An operator token (POST /api/v1/tokens, or the first admin's"
                                            + " weft.security.admin.token); the dashboard's session cookie works too"));
            Content problem = new Content()
                    .addMediaType(
                            "application/problem+json",
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                        Optional<Role> needed =
                                AccessPolicy.required(method.name().toUpperCase(Locale.ROOT), path);
                        if (needed.isEmpty()) {
                            return;
                        }
                        Role role = needed.get();
                        operation.addSecurityItem(new SecurityRequirement().addList(SCHEME));
                        String note = "Role: " + role.wire() + ".";
                        operation.setDescription(
                                operation.getDescription() == null ? note : operation.getDescription() + "\n\n" + note);
                        operation
                                .getResponses()
                                .addApiResponse(
                                        "401",
                                        new ApiResponse()
                                                .description("UNAUTHENTICATED: no token or session, or a token that is"
                                                        + " unknown, expired or revoked")
                                                .content(problem));
                        if (role != Role.VIEWER) {
                            operation
                                    .getResponses()
                                    .addApiResponse(
                                            "403",
                                            new ApiResponse()
                                                    .description("FORBIDDEN: the caller's role is below " + role.wire()
                                                            + (method == PathItem.HttpMethod.GET
                                                                    ? ""
                                                                    : ", or a session's CSRF token is missing"))
                                                    .content(problem));
                        }
                    }));
        };
    }
}

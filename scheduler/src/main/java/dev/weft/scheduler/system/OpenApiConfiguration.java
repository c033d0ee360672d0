package dev.weft.scheduler.system;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document served at {@code /v3/api-docs}: its title and description, and the RFC 9457
 * problem every error response carries, so controllers declare only which statuses they answer with.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM_JSON = "application/problem+json";

    @Bean
    OpenAPI weftOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Weft control plane API")
                        .version("v1")
                        .description("""
                        Register applications and their immutable versions, watch the agents that connect over gRPC and \
                        the load they report, deploy a first version, read its plans, and roll out later versions. Bodies are JSON \
                        (application/json) and nothing else. Every error is an RFC 9457 problem \
                        (application/problem+json) whose `type` is https://weft.dev/problems/{code-in-kebab-case}, with a \
                        `code` member and an `errors` array naming each offending field by its JSON path. Each operation \
                        lists the codes it answers with; any request may also be answered 400 INVALID_REQUEST (the request \
                        line or headers are malformed: an encoded '/', '\\' or NUL in the path, a bad '%' escape, more than \
                        8 KB), 404 NOT_FOUND (no such path), 405 METHOD_NOT_ALLOWED, 406 NOT_ACCEPTABLE or 503 UNAVAILABLE.""")
                        .license(new License().name("Apache-2.0")));
    }

    /**
     * Gives every 4xx and 5xx response the problem schema, and every operation that takes a body the
     * 413 and 415 answers {@link RequestSizeLimit} and Spring give it whichever controller serves it.
     */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            boolean v31 = openApi.getSpecVersion() == SpecVersion.V31;
            ModelConverters.getInstance(v31)
                    .readAll(ProblemDocument.class)
                    .forEach(openApi.getComponents()::addSchemas);
            Content problem = new Content()
                    .addMediaType(
                            PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
            openApi.getPaths()
                    .values()
                    .forEach(path -> path.readOperations().forEach(operation -> {
                        ApiResponses responses = operation.getResponses();
                        if (operation.getRequestBody() != null) {
                            responses.putIfAbsent(
                                    "413",
                                    new ApiResponse()
                                            .description(
                                                    "PAYLOAD_TOO_LARGE: the body is larger than weft.api.max-request-size (16 MiB by default)"));
                            responses.putIfAbsent(
                                    "415",
                                    new ApiResponse()
                                            .description("UNSUPPORTED_MEDIA_TYPE: the body is not application/json"));
                        }
                        responses.forEach((status, response) -> {
                            if (status.startsWith("4") || status.startsWith("5")) {
                                response.setContent(problem);
                            }
                        });
                    }));
        };
    }
}

package dev.weft.scheduler.system;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.net.URI;
import java.util.List;

/**
 * The RFC 9457 problem as {@link ProblemDetailsAdvice} writes it, here only to describe it in the
 * OpenAPI document ({@link OpenApiConfiguration}); responses are built as Spring's ProblemDetail.
 */
@Schema(
        name = "Problem",
        description = "An RFC 9457 problem: a stable type and code per kind of error, and every offending field")
record ProblemDocument(
        @Schema(
                requiredMode = RequiredMode.REQUIRED,
                description = "https://weft.dev/problems/ followed by the code in kebab case",
                example = "https://weft.dev/problems/unknown-component")
        URI type,

        @Schema(
                requiredMode = RequiredMode.REQUIRED,
                description = "A summary that is the same for every occurrence of the code",
                example = "Reference to a component the version does not declare")
        String title,

        @Schema(requiredMode = RequiredMode.REQUIRED, description = "The HTTP status", example = "400")
        int status,

        @Schema(
                requiredMode = RequiredMode.REQUIRED,
                description = "What was wrong, naming the field or component",
                example = "edges[0].callee names component 'b', which this version does not declare")
        String detail,

        @Schema(description = "The path of the request", example = "/api/v1/applications/shop/versions")
        URI instance,

        @Schema(
                requiredMode = RequiredMode.REQUIRED,
                description = "The stable error code; README.md lists them all",
                example = "UNKNOWN_COMPONENT")
        String code,

        @ArraySchema(
                arraySchema =
                        @Schema(
                                description =
                                        "Every problem found in the request (up to 100), each naming its field; absent when no field is at fault"))
        List<FieldErrorDocument> errors) {

    /** One entry of a problem's {@code errors}. */
    @Schema(name = "FieldError")
    record FieldErrorDocument(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "UNKNOWN_COMPONENT")
            String code,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "JSON path of the offending field",
                    example = "edges[0].callee")
            String field,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    example = "edges[0].callee names component 'b', which this version does not declare")
            String detail) {}
}

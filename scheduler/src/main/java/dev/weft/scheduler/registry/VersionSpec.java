package dev.weft.scheduler.registry;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A version as an operator registers it (the JSON body of {@code POST .../versions}). Every field is
 * nullable here because the {@link VersionSpecValidator} names each missing one; after validation the
 * spec is canonical: defaults filled in and every list sorted, so equal specs are equal records. The
 * {@code @Schema} annotations tell OpenAPI readers the rules the validator enforces.
 */
@Schema(
        description = "An immutable version of an application: its components, the calls between them and "
                + "placement constraints. Unknown fields are refused; the stored spec is canonical (defaults filled in, "
                + "lists sorted), so the same spec in another order is the same version.")
public record VersionSpec(
        @Schema(
                requiredMode = RequiredMode.REQUIRED,
                description = "The version's name, unique in its application",
                pattern = Names.VERSION_PATTERN,
                minLength = 1,
                maxLength = 63,
                example = "v1")
        @Nullable
        String version,

        @Schema(
                requiredMode = RequiredMode.REQUIRED,
                description =
                        "Opaque reference agents use to fetch the code: 1-2048 characters (Unicode code points), none"
                                + " of them a control, format, line or paragraph separator character",
                minLength = 1,
                maxLength = 2048,
                example = "oci://registry.example.com/shop:1.0.0")
        @Nullable
        String artifact,

        @ArraySchema(
                arraySchema =
                        @Schema(requiredMode = RequiredMode.REQUIRED, description = "The components, names unique"),
                minItems = 1,
                maxItems = VersionSpecValidator.MAX_COMPONENTS)
        @Nullable
        List<ComponentSpec> components,

        @ArraySchema(
                arraySchema = @Schema(description = "Calls the application expects; each caller-callee pair once"),
                maxItems = VersionSpecValidator.MAX_EDGES)
        @Nullable
        List<EdgeSpec> edges,

        @Schema(description = "Placement constraints; none when absent") @Nullable
        ConstraintsSpec constraints) {

    /**
     * One component: resource hints are per replica of the process that hosts it.
     *
     * @param cpuMillis CPU the component needs per replica, in millicores (1..256000)
     * @param memoryMiB memory it needs per replica, in MiB (1..1048576)
     * @param minReplicas fewest replicas (default 1)
     * @param maxReplicas most replicas (default 100)
     * @param ingress whether it receives external traffic (default false)
     */
    @Schema(description = "A logical unit of the application, with its needs per replica")
    public record ComponentSpec(
            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "A DNS label that starts with a letter",
                    pattern = Names.LABEL_PATTERN,
                    minLength = 1,
                    maxLength = 63,
                    example = "cart")
            @Nullable
            String name,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "CPU per replica, in millicores",
                    minimum = "1",
                    maximum = "" + VersionSpecValidator.MAX_CPU_MILLIS,
                    example = "250")
            @Nullable
            Integer cpuMillis,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "Memory per replica, in MiB",
                    minimum = "1",
                    maximum = "" + VersionSpecValidator.MAX_MEMORY_MIB,
                    example = "256")
            @Nullable
            Integer memoryMiB,

            @Schema(
                    description = "Fewest replicas; at most maxReplicas",
                    minimum = "0",
                    maximum = "" + VersionSpecValidator.MAX_REPLICAS,
                    defaultValue = "" + VersionSpecValidator.DEFAULT_MIN_REPLICAS)
            @Nullable
            Integer minReplicas,

            @Schema(
                    description = "Most replicas; when absent 100, so a minReplicas above 100 needs it",
                    minimum = "1",
                    maximum = "" + VersionSpecValidator.MAX_REPLICAS,
                    defaultValue = "" + VersionSpecValidator.DEFAULT_MAX_REPLICAS)
            @Nullable
            Integer maxReplicas,

            @Schema(description = "Whether the component receives external traffic", defaultValue = "false") @Nullable
            Boolean ingress) {}

    /** A call the application expects from {@code caller} to {@code callee}, with optional expected load. */
    @Schema(description = "A call the application expects from one component to another")
    public record EdgeSpec(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "A declared component", example = "frontend")
            @Nullable
            String caller,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "A declared component other than the caller",
                    example = "cart")
            @Nullable
            String callee,

            @Schema(description = "Expected calls per second", minimum = "0", maximum = "1000000000", example = "720")
            @Nullable
            Double callsPerSecond,

            @Schema(description = "Expected bytes per call", minimum = "0", maximum = "1000000000", example = "600")
            @Nullable
            Double bytesPerCall) {}

    /**
     * Placement constraints.
     *
     * @param colocate sets of components that must share a process (each set at least two)
     * @param separate pairs of components that must never share a process
     * @param pins components that may only run on agents carrying a label
     */
    @Schema(
            description = "Where components may run. Contradictions are refused: a separate pair joined by a chain of "
                    + "colocate sets, colocated components pinned to different values of one label, or colocated components "
                    + "whose replica bounds do not overlap.")
    public record ConstraintsSpec(
            @ArraySchema(
                    arraySchema = @Schema(description = "Sets of components that must share a process"),
                    schema = @Schema(description = "At least two declared components, each once"))
            @Nullable
            List<List<String>> colocate,

            @ArraySchema(
                    arraySchema = @Schema(description = "Pairs of components that must never share a process"),
                    schema = @Schema(description = "Exactly two declared components"))
            @Nullable
            List<List<String>> separate,

            @ArraySchema(arraySchema = @Schema(description = "Components that may only run on agents carrying a label"))
            @Nullable
            List<PinSpec> pins) {}

    /** {@code label} is {@code key} (any value) or {@code key=value}. */
    @Schema(description = "A component that may only run on agents carrying a label")
    public record PinSpec(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "A declared component", example = "payment")
            @Nullable
            String component,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "'key' (any value) or 'key=value'. A key is an "
                            + "optional DNS-subdomain prefix of at most 253 characters and '/', then a name of 1-63 characters of "
                            + "A-Z, a-z, 0-9, '-', '_' and '.' that starts and ends with a letter or digit; a value is empty or "
                            + "like a name",
                    maxLength = LabelSelector.MAX_KEY + 1 + LabelSelector.MAX_NAME,
                    example = "pci=true")
            @Nullable
            String label) {}
}

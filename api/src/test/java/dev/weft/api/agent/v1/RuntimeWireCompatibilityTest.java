package dev.weft.api.agent.v1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.runtime.v1.RuntimeProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The compatibility rule of weft.runtime.v1 (api/RUNTIME.md), checked as {@link WireCompatibilityTest} checks
 * weft.agent.v1: the contract recorded in {@code src/test/resources/weft/runtime/v1/wire-contract.txt} may only
 * grow.
 */
class RuntimeWireCompatibilityTest {

    private static final Path CONTRACT =
            Path.of("src", "test", "resources", "weft", "runtime", "v1", "wire-contract.txt");

    @Test
    void theRuntimeWireContractOnlyGrows() throws IOException {
        TreeSet<String> current = WireCompatibilityTest.describe(RuntimeProto.getDescriptor());
        List<String> recorded = Files.readAllLines(CONTRACT).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList();
        assertThat(recorded.stream().filter(l -> !current.contains(l)).toList())
                .as("recorded lines no longer true (renumbered, retyped, moved or removed)")
                .isEmpty();
        assertThat(current.stream().filter(l -> !recorded.contains(l)).toList())
                .as("new declarations: append them to " + CONTRACT)
                .isEmpty();
        assertThat(recorded).hasSizeGreaterThan(60);
    }

    /** Prints the current contract, to seed or extend the recorded file. */
    public static void main(String[] args) {
        WireCompatibilityTest.describe(RuntimeProto.getDescriptor()).forEach(System.out::println);
    }
}

package dev.weft.examples.boutique;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.agent.runtime.ComponentModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * boutique-v1.json against the version spec rules of the README ("The version spec") and against the code: it
 * declares exactly the application's components, and every edge the code really calls.
 */
class VersionSpecTest {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Set<String> COMPONENT_FIELDS =
            Set.of("name", "cpuMillis", "memoryMiB", "minReplicas", "maxReplicas", "ingress");

    @Test
    void theSpecFollowsTheDocumentedRulesAndMatchesTheCode() throws Exception {
        JsonNode spec = JsonMapper.builder().build().readTree(Files.readString(Path.of("boutique-v1.json")));
        assertThat(spec.get("version").asString()).matches("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?");
        assertThat(spec.get("artifact").asString()).startsWith("file:/").hasSizeLessThanOrEqualTo(2048);
        Set<String> names = new TreeSet<>();
        for (JsonNode c : spec.get("components")) {
            assertThat(COMPONENT_FIELDS).containsAll(c.propertyNames());
            String name = c.get("name").asString();
            assertThat(name).matches(DNS_LABEL);
            assertThat(names.add(name)).as("unique " + name).isTrue();
            assertThat(c.get("cpuMillis").asInt()).isBetween(1, 256_000);
            assertThat(c.get("memoryMiB").asInt()).isBetween(1, 1_048_576);
            assertThat(c.get("minReplicas").asInt())
                    .isLessThanOrEqualTo(c.get("maxReplicas").asInt());
        }
        Set<String> code = new TreeSet<>();
        for (Class<?> api : Boutique.app(Clock.systemUTC()).factories().keySet()) {
            code.add(ComponentModel.of(api).name());
        }
        assertThat(names).isEqualTo(code);
        Set<String> edges = new HashSet<>();
        for (JsonNode e : spec.get("edges")) {
            String caller = e.get("caller").asString();
            String callee = e.get("callee").asString();
            assertThat(names).contains(caller, callee);
            assertThat(caller).isNotEqualTo(callee);
            assertThat(edges.add(caller + "->" + callee)).isTrue();
        }
        assertThat(edges)
                .containsAll(List.of(
                        "frontend->product-catalog",
                        "frontend->currency",
                        "frontend->cart",
                        "frontend->recommendation",
                        "frontend->ad",
                        "frontend->shipping",
                        "frontend->checkout",
                        "recommendation->product-catalog",
                        "cart->product-catalog",
                        "checkout->cart",
                        "checkout->payment",
                        "checkout->email",
                        "checkout->shipping",
                        "checkout->currency",
                        "checkout->product-catalog"));
        assertThat(spec.get("components").findValues("ingress")).hasSize(1);
    }
}

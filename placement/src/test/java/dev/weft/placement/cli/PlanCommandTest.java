package dev.weft.placement.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The documented CLI: the README example plans, stdin works, bad input exits 2 with the field named. */
class PlanCommandTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PlanCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theReadmeExamplePlansFromAFile() throws Exception {
    Run r = run("", Path.of("examples/shop.json").toString());
    assertThat(r.code()).isZero();
    JsonNode plan = JsonMapper.builder().build().readTree(r.out());
    assertThat(plan.get("status").asString()).isEqualTo("FEASIBLE");
    assertThat(plan.get("groups").size()).isEqualTo(2);
    assertThat(plan.get("diff").get("unchanged").asInt()).isEqualTo(2);
    assertThat(plan.get("baselines").get("singleProcess").get("feasible").asBoolean()).isFalse();
  }

  @Test
  void theOutputIsExactlyTheDocumentedExample() throws Exception {
    // README.md shows examples/shop.plan.json; any change to the plan or its format shows up here first.
    Run r = run("", "examples/shop.json");
    assertThat(r.out().strip()).isEqualTo(Files.readString(Path.of("examples/shop.plan.json")).strip());
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).contains(Files.readString(Path.of("examples/shop.plan.json")).strip());
  }

  @Test
  void stdinIsReadWhenNoFileIsGiven() throws Exception {
    String json = Files.readString(Path.of("examples/shop.json"));
    Run r = run(json.replace("\"pci\"]", "\"none\"]"), "-");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("INFEASIBLE").contains("NO_AGENT_WITH_LABEL").contains("pci");
  }

  @Test
  void malformedInputExitsTwoNamingTheField() {
    Run r = run("{\"components\": [{\"name\": \"a\", \"cpu\": \"lots\"}]}");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("cpu");
  }
}

package dev.weft.api.agent.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every service, rpc, message, enum, oneof, field and enum value of the agent protocol has a doc comment. */
class ProtocolDocumentationTest {

    private static final Path PROTOS = Path.of("src", "main", "proto", "weft", "agent", "v1");
    private static final Pattern DECLARATION = Pattern.compile(
            "^\\s*(service|rpc|message|enum|oneof)\\s+\\w+.*" // named blocks and rpcs
                    // fields and map fields, with or without a label and field options such as [deprecated = true]
                    + "|^\\s*((repeated|optional)\\s+)?[\\w.]+(<[\\w.,\\s]+>)?\\s+\\w+\\s*=\\s*\\d+\\s*(\\[[^\\]]*\\])?\\s*;.*"
                    + "|^\\s*[A-Z][A-Z0-9_]*\\s*=\\s*\\d+\\s*(\\[[^\\]]*\\])?\\s*;.*"); // enum values

    @Test
    void everyDeclarationHasADocComment() throws IOException {
        List<String> undocumented = new ArrayList<>();
        int declarations = 0;
        List<Path> files;
        try (Stream<Path> listing = Files.list(PROTOS)) {
            files = listing.filter(p -> p.toString().endsWith(".proto"))
                    .sorted()
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(4);
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.trim().startsWith("option ") || line.trim().startsWith("reserved ")) {
                    continue;
                }
                if (DECLARATION.matcher(line).matches()) {
                    declarations++;
                    if (i == 0 || !lines.get(i - 1).trim().startsWith("//")) {
                        undocumented.add(file.getFileName() + ":" + (i + 1) + ": " + line.trim());
                    }
                }
            }
        }
        // the protocol has well over a hundred declarations: far fewer means the pattern stopped matching them
        assertThat(declarations).isGreaterThan(150);
        assertThat(undocumented)
                .as("declarations without a // comment on the line before")
                .isEmpty();
    }

    @Test
    void thePatternRecognisesFieldsWithOptionsAndLabels() {
        assertThat(DECLARATION
                        .matcher("  string old_name = 5 [deprecated = true];")
                        .matches())
                .isTrue();
        assertThat(DECLARATION.matcher("  optional uint64 generation = 2;").matches())
                .isTrue();
        assertThat(DECLARATION.matcher("  map<string, string> labels = 7;").matches())
                .isTrue();
        assertThat(DECLARATION.matcher("  OUTCOME_OLD = 5 [deprecated = true];").matches())
                .isTrue();
        assertThat(DECLARATION.matcher("  // a comment = 5;").matches()).isFalse();
    }
}

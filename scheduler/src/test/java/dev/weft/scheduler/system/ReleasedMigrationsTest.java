package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Released migrations are frozen: a database that already ran one would never run it again, so an edit
 * would leave such databases and new ones with different schemas (and Flyway refusing to start on the
 * checksum). src/test/resources/db/released-migrations.sha256 records each released file.
 */
class ReleasedMigrationsTest {

    private static final Path MIGRATIONS = Path.of("..", "db", "migrations");
    private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__[a-z0-9_]+\\.sql");
    private static final String RULE = "released migrations are never edited, renamed or deleted: "
            + "add a new migration instead (db/migrations/README.md)";

    @Test
    void releasedMigrationsAreUnchanged() throws IOException {
        Map<String, String> released = released();
        assertThat(released).as("released migrations recorded").isNotEmpty();
        for (Map.Entry<String, String> entry : released.entrySet()) {
            Path file = MIGRATIONS.resolve(entry.getKey());
            if (!Files.exists(file)) {
                fail("Released migration " + entry.getKey() + " is gone from db/migrations; " + RULE);
            }
            String actual = sha256(file);
            if (!actual.equals(entry.getValue())) {
                fail("Released migration " + entry.getKey() + " changed (SHA-256 " + actual + ", released as "
                        + entry.getValue() + "); " + RULE);
            }
        }
    }

    @Test
    void everyMigrationIsNamedForFlywayAndNewOnesComeAfterTheReleasedOnes() throws IOException {
        Map<String, String> released = released();
        int lastReleased = released.keySet().stream()
                .mapToInt(ReleasedMigrationsTest::version)
                .max()
                .orElse(0);
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (String name : files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".sql"))
                    .sorted()
                    .toList()) {
                assertThat(name)
                        .as("a Flyway versioned migration: V<number>__<lower_case_words>.sql")
                        .matches(NAME);
                if (!released.containsKey(name)) {
                    assertThat(version(name))
                            .as(name + " is not released, so its version must be above the last released, V"
                                    + lastReleased + "; " + RULE)
                            .isGreaterThan(lastReleased);
                }
            }
        }
    }

    private static int version(String name) {
        Matcher m = NAME.matcher(name);
        assertThat(m.matches()).as(name).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** File name to SHA-256, from the test resource. */
    private static Map<String, String> released() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = ReleasedMigrationsTest.class.getResourceAsStream("/db/released-migrations.sha256")) {
            assertThat(in)
                    .as("db/released-migrations.sha256 on the test classpath")
                    .isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> parts = List.of(line.trim().split("\\s+"));
                assertThat(parts).as("'<sha256>  <file>': " + line).hasSize(2);
                out.put(parts.get(1), parts.get(0));
            }
        }
        return out;
    }

    /** Line endings normalised, so a Windows checkout (CRLF) hashes as the Unix one does. */
    private static String sha256(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

package dev.weft.scheduler.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The README says what runs today: its table of resources lists exactly the operations the OpenAPI document
 * serves, so an endpoint that lands, or one that is removed, changes the README with it; and the Dockerfile
 * resolves dependencies before it copies the sources, so a source change does not download them again.
 */
@WeftIntegrationTest
class ReadmeResourcesTest {

    @LocalServerPort
    int port;

    @Test
    void theReadmeListsExactlyTheOperationsTheApiServes() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("### Resources"), readme.indexOf("### The version spec"));
        Set<String> listed = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `(GET|POST|PUT|PATCH|DELETE) ([^`?]+)[^`]*`(?: / `([a-z]+)`)?")
                .matcher(table);
        while (row.find()) {
            listed.add(row.group(1) + " " + row.group(2).trim());
            if (row.group(3) != null) {
                String path = row.group(2).trim();
                listed.add(row.group(1) + " " + path.substring(0, path.lastIndexOf('/') + 1) + row.group(3));
            }
        }
        Set<String> served = new TreeSet<>();
        for (OpenApiOperations.Operation op : OpenApiOperations.of(
                        new HttpApi(port).get("/v3/api-docs").json())
                .operations()) {
            served.add(op.method().toUpperCase(Locale.ROOT) + " " + op.path());
        }
        assertThat(listed)
                .as("README's table of resources against /v3/api-docs")
                .isEqualTo(served);
    }

    @Test
    void theDockerfileResolvesDependenciesBeforeItCopiesTheSources() throws IOException {
        String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
        int resolve = dockerfile.indexOf("dependency:go-offline");
        int sources = dockerfile.indexOf("COPY . .");
        assertThat(resolve).isPositive();
        assertThat(sources).isGreaterThan(resolve);
        assertThat(dockerfile).doesNotContainIgnoringCase("dashboard,");
    }
}

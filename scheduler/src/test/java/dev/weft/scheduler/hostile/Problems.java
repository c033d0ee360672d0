package dev.weft.scheduler.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.system.ApiText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** What every refusal of the REST API must look like, whoever wrote the endpoint. */
final class Problems {

    /** Every code README.md lists (its lists of codes, `CODE` followed by a status group). */
    static final Set<String> README_CODES = readmeCodes();

    private Problems() {}

    /** Asserts that a non-2xx answer is a problem with a listed code and no Java or library names. */
    static void assertProblem(String request, int status, String contentType, String body, JsonNode json) {
        assertThat(status).as("status of %s: %s", request, body).isLessThan(500);
        assertThat(contentType).as("content type of %s: %s", request, body).startsWith("application/problem+json");
        assertThat(json).as("JSON body of %s: %s", request, body).isNotNull();
        assertThat(json.path("code").asString()).as("code of %s", request).isIn(README_CODES);
        assertThat(json.path("status").asInt())
                .as("status member of %s", request)
                .isEqualTo(status);
        assertThat(ApiText.JAVA_NAMES.matcher(body).find())
                .as("Java or library names in the answer to %s: %s", request, body)
                .isFalse();
        assertThat(body)
                .doesNotContainIgnoringCase("<html")
                .doesNotContain("Tomcat")
                .doesNotContain("\tat ");
    }

    private static Set<String> readmeCodes() {
        try {
            String readme = Files.readString(Path.of("..", "README.md"));
            Set<String> codes = new TreeSet<>();
            Matcher m =
                    Pattern.compile("`([A-Z][A-Z_]+[A-Z])`").matcher(readme.substring(readme.indexOf("### Errors")));
            while (m.find()) {
                codes.add(m.group(1));
            }
            return codes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.weft.scheduler.system;

import java.util.regex.Pattern;

/**
 * Keeps problem details in the API's language: whatever a library said, a client never reads a Java class name,
 * a Jackson feature or a parser token type in a detail.
 */
public final class ApiText {

    /** A fully qualified Java name, an inner class, or a name of the JSON library's machinery. */
    public static final Pattern JAVA_NAMES = Pattern.compile(
            "\\b(java|javax|jakarta|tools\\.jackson|com\\.fasterxml|org\\.springframework|org\\.hibernate|org\\.apache|dev\\.weft)\\.[\\w.$]+"
                    + "|\\b\\w+\\$\\w+\\b"
                    + "|\\b(JsonToken|JsonParser|StreamReadFeature|JsonReadFeature|DeserializationFeature|MapperFeature"
                    + "|StreamReadConstraints|JacksonException|Exception)\\b");

    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");
    private static final Pattern BACKTICKED = Pattern.compile("\\s*\\([^()]*`[^()]*\\)|`[^`]*`");

    private ApiText() {}

    /** {@code text} with locations spelt out and any Java or library name taken out. */
    public static String scrub(String text) {
        String out = SOURCE.matcher(text).replaceAll("line $1, column $2");
        out = BACKTICKED.matcher(out).replaceAll("");
        out = JAVA_NAMES.matcher(out).replaceAll("a value");
        return out.trim();
    }
}

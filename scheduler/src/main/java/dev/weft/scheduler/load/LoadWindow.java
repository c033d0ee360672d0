package dev.weft.scheduler.load;

import dev.weft.scheduler.system.FieldError;
import dev.weft.scheduler.system.WeftException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The window a load request asks for: either {@code window} (a duration ending now, such as
 * {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 {@code PT5M}) or both {@code from} and
 * {@code to} (ISO-8601 instants); neither means the last five minutes. At most 31 days long.
 */
record LoadWindow(Instant from, Instant to) {

    static final Duration DEFAULT = Duration.ofMinutes(5);
    static final Duration LONGEST = Duration.ofDays(31);
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    static LoadWindow parse(@Nullable String window, @Nullable String from, @Nullable String to, Instant now) {
        if (window != null && (from != null || to != null)) {
            throw invalid("window", "Give either 'window' or 'from' and 'to', not both");
        }
        if (from != null || to != null) {
            if (from == null || to == null) {
                throw invalid(
                        from == null ? "from" : "to",
                        "Query parameters 'from' and 'to' go together; '" + (from == null ? "from" : "to")
                                + "' is missing");
            }
            Instant start = instant("from", from);
            Instant end = instant("to", to);
            if (!start.isBefore(end)) {
                throw invalid("from", "'from' (" + from + ") must be before 'to' (" + to + ")");
            }
            check(Duration.between(start, end), "from");
            return new LoadWindow(start, end);
        }
        Duration length = window == null ? DEFAULT : duration(window);
        check(length, "window");
        return new LoadWindow(now.minus(length), now);
    }

    private static Duration duration(String text) {
        Matcher simple = SIMPLE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw invalid(
                    "window",
                    "Query parameter 'window' must be a duration such as 30s, 5m, 2h, 1d or PT5M, was '" + text + "'");
        }
    }

    private static void check(Duration length, String field) {
        if (length.compareTo(Duration.ofSeconds(1)) < 0) {
            throw invalid(field, "The load window must be at least 1 second long, was " + length);
        }
        if (length.compareTo(LONGEST) > 0) {
            throw invalid(field, "The load window must be at most 31 days long, was " + length.toDays() + " days");
        }
    }

    private static Instant instant(String field, String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw invalid(
                    field,
                    "Query parameter '" + field + "' must be an ISO-8601 instant such as 2026-11-24T18:00:00Z, was '"
                            + text + "'");
        }
    }

    private static WeftException invalid(String field, String detail) {
        return new WeftException(List.of(new FieldError(LoadError.INVALID_WINDOW, field, detail)));
    }
}

package dev.weft.rollout.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the REST API takes them (the load API's notation): a whole number and a unit ({@code 500ms},
 * {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}) or ISO-8601 ({@code PT5M}, {@code P1D}), case-insensitive.
 * {@link #format} writes the shortest exact form, which {@link #parse} reads back to the same duration.
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {}

    /**
     * The duration {@code text} denotes.
     *
     * @throws IllegalArgumentException naming the text, when it is neither notation
     */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher simple = SIMPLE.matcher(trimmed.toLowerCase(Locale.ROOT));
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
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be a duration such as 30s, 5m, 1h or PT5M, was '" + text + "'", e);
        }
    }

    /** The shortest exact notation: the largest unit that divides the duration ({@code 90s}, {@code 5m}, {@code 0s}). */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        if (!duration.truncatedTo(ChronoUnit.MILLIS).equals(duration)) {
            return duration.toString();
        }
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = duration.toSeconds();
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** For people, in messages: {@code 3m12s}, {@code 1h5m}, {@code 450ms}, {@code 0s}. */
    public static String describe(Duration duration) {
        if (duration.isNegative()) {
            return "-" + describe(duration.negated());
        }
        long seconds = duration.toSeconds();
        if (seconds == 0) {
            return duration.toMillis() == 0 ? "0s" : duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        if (days > 0) {
            text.append(days).append('d');
        }
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (rest > 0) {
            text.append(rest).append('s');
        }
        return text.toString();
    }
}

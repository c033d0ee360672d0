package dev.weft.rollout.gate;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One health check of a rollout step: a metric of the new version, for the whole version or one component,
 * held within {@code min} and/or {@code max}. {@code errorRate} and {@code latencyP99Ratio} take only a
 * {@code max}; {@code errorRate}'s is a fraction (0.01 = 1 %). Invalid gates are refused here with an
 * {@link IllegalArgumentException}; user input goes through {@code PolicyValidator} first, which names the field.
 */
public record Gate(
        Metric metric,
        @Nullable String component,
        @Nullable Double min,
        @Nullable Double max) {

    public Gate {
        requireNonNull(metric, "metric is null");
        if (component != null && component.isBlank()) {
            throw new IllegalArgumentException("component of a " + metric.jsonName() + " gate is blank");
        }
        if (min == null && max == null) {
            throw new IllegalArgumentException("a " + metric.jsonName() + " gate needs a max or a min");
        }
        if (metric.maxOnly() && min != null) {
            throw new IllegalArgumentException(metric.jsonName() + " takes only max");
        }
        checkBound(metric, "min", min);
        checkBound(metric, "max", max);
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("min " + min + " is above max " + max);
        }
    }

    private static void checkBound(Metric metric, String name, @Nullable Double bound) {
        if (bound == null) {
            return;
        }
        if (!Double.isFinite(bound) || bound < 0) {
            throw new IllegalArgumentException(name + " of " + metric.jsonName() + " must be a finite number >= 0");
        }
        if (metric == Metric.ERROR_RATE && bound > 1) {
            throw new IllegalArgumentException("max of errorRate is a fraction between 0 and 1, was " + bound);
        }
        if (metric == Metric.LATENCY_P99_RATIO && bound == 0) {
            throw new IllegalArgumentException("max of latencyP99Ratio must be above 0");
        }
    }

    /** A gate that holds the metric of the whole version at or below {@code max}. */
    public static Gate max(Metric metric, double max) {
        return new Gate(metric, null, null, max);
    }

    /** A gate that holds the metric of the whole version at or above {@code min}. */
    public static Gate min(Metric metric, double min) {
        return new Gate(metric, null, min, null);
    }

    /** The same gate, read for one component only. */
    public Gate of(String componentName) {
        return new Gate(metric, componentName, min, max);
    }

    /** True when {@code value} is within the bounds. */
    public boolean admits(double value) {
        return (max == null || value <= max) && (min == null || value >= min);
    }

    /** E.g. {@code errorRate <= 0.01}, {@code cpuCores of cart <= 2}, {@code requestsPerSecond >= 5}. */
    public String describe() {
        StringBuilder text = new StringBuilder(metric.jsonName());
        if (component != null) {
            text.append(" of ").append(component);
        }
        if (min != null && max != null) {
            return text.append(" in [")
                    .append(Numbers.format(min))
                    .append(", ")
                    .append(Numbers.format(max))
                    .append(']')
                    .toString();
        }
        return max != null
                ? text.append(" <= ").append(Numbers.format(max)).toString()
                : text.append(" >= ")
                        .append(Numbers.format(requireNonNull(min)))
                        .toString();
    }
}

package dev.weft.rollout.routing;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ingress weights of one application, in routing order (api/README.md): the version a rollout moves
 * <em>to</em> first, then the version it moves <em>from</em>, then any other at weight 0. The order matters:
 * {@link TrafficSplit#choose} walks it, which is what makes raising the first weight move clients one way only.
 * Weights are basis points and add up to 10000.
 */
public record Weights(List<VersionWeight> entries) {

    /** Basis points in a whole: 100 %. */
    public static final int TOTAL = 10_000;

    public Weights {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("weights need at least one version");
        }
        Set<String> seen = new HashSet<>();
        long sum = 0;
        for (VersionWeight entry : entries) {
            if (!seen.add(entry.version())) {
                throw new IllegalArgumentException("version " + entry.version() + " is listed twice in " + entries);
            }
            sum += entry.basisPoints();
        }
        if (sum != TOTAL) {
            throw new IllegalArgumentException(
                    "weights must add up to 10000 basis points, were " + sum + ": " + entries);
        }
    }

    /** All traffic to one version. */
    public static Weights only(String version) {
        return new Weights(List.of(new VersionWeight(version, TOTAL)));
    }

    /** {@code [to toBasisPoints, from 10000 - toBasisPoints]}: the split of a rollout from one version to another. */
    public static Weights split(String to, String from, int toBasisPoints) {
        if (toBasisPoints < 0 || toBasisPoints > TOTAL) {
            throw new IllegalArgumentException("weight must be between 0 and 10000 basis points, was " + toBasisPoints);
        }
        return new Weights(
                List.of(new VersionWeight(to, toBasisPoints), new VersionWeight(from, TOTAL - toBasisPoints)));
    }

    /** The weight of a version, 0 when it is not listed. */
    public int of(String version) {
        for (VersionWeight entry : entries) {
            if (entry.version().equals(version)) {
                return entry.basisPoints();
            }
        }
        return 0;
    }

    /** The versions in routing order. */
    public List<String> versions() {
        return entries.stream().map(VersionWeight::version).toList();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (VersionWeight entry : entries) {
            if (text.length() > 1) {
                text.append(", ");
            }
            text.append(entry.version()).append(' ').append(entry.basisPoints());
        }
        return text.append(']').toString();
    }
}

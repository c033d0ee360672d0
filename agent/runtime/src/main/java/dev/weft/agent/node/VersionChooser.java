package dev.weft.agent.node;

import dev.weft.api.agent.v1.TrafficSplit;
import dev.weft.api.agent.v1.VersionWeight;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Picks the version of a new request by the traffic split, as api/README.md defines it: with a client key, bucket
 * {@code b = (first 8 bytes of SHA-256(UTF-8 key), unsigned big-endian) mod 10000}, and the first version (in
 * the split's order) whose cumulative weight exceeds {@code b}; without one, at random by weight.
 */
public final class VersionChooser {

    private VersionChooser() {}

    /** The bucket of a client key, 0..9999. */
    public static int bucket(String clientKey) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(clientKey.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (digest[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(value, 10_000);
    }

    /** The version for a request, or null if the split gives no version any weight. */
    public static @Nullable String choose(TrafficSplit split, @Nullable String clientKey, RandomGenerator random) {
        long total = 0;
        for (VersionWeight weight : split.getWeightsList()) {
            total += weight.getWeightBp();
        }
        if (total <= 0) {
            return null;
        }
        long b =
                clientKey == null || clientKey.isEmpty() ? random.nextLong(Math.min(total, 10_000)) : bucket(clientKey);
        long cumulative = 0;
        for (VersionWeight weight : split.getWeightsList()) {
            cumulative += weight.getWeightBp();
            if (cumulative > b) {
                return weight.getVersion();
            }
        }
        // weights adding up to less than 10000 leave high buckets unassigned: they go to the last weighted version
        String last = null;
        for (VersionWeight weight : split.getWeightsList()) {
            if (weight.getWeightBp() > 0) {
                last = weight.getVersion();
            }
        }
        return last;
    }
}

package dev.weft.rollout.routing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.random.RandomGenerator;

/**
 * The sticky, monotone choice of a version for one request (api/README.md, "TrafficSplit"), shared by the control plane and
 * every ingress so they agree bit for bit. A client key maps to a bucket {@code b} in [0, 10000); walking the
 * weights in routing order, the request goes to the first version whose cumulative weight exceeds {@code b}.
 * With {@code [new w, old 10000-w]} a client goes to new iff {@code b < w}, so raising {@code w} only ever moves
 * clients from old to new.
 */
public final class TrafficSplit {

    /** Buckets of the key space, one per basis point. */
    public static final int BUCKETS = Weights.TOTAL;

    private TrafficSplit() {}

    /**
     * The bucket of a client key: the first 8 bytes of SHA-256 of its UTF-8 encoding, read as an unsigned
     * big-endian integer, modulo 10000. E.g. {@code "alice"} is 207, {@code "bob"} 8650, {@code ""} 1652.
     */
    public static int bucketOf(String key) {
        byte[] digest = sha256().digest(key.getBytes(UTF_8));
        long prefix = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            prefix = (prefix << 8) | (digest[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(prefix, BUCKETS);
    }

    /** The version a request in {@code bucket} (0..9999) goes to. A version at weight 0 is never chosen. */
    public static String choose(Weights weights, int bucket) {
        if (bucket < 0 || bucket >= BUCKETS) {
            throw new IllegalArgumentException("bucket must be between 0 and 9999, was " + bucket);
        }
        int cumulative = 0;
        for (VersionWeight entry : weights.entries()) {
            cumulative += entry.basisPoints();
            if (cumulative > bucket) {
                return entry.version();
            }
        }
        throw new IllegalStateException("weights add up to 10000, so bucket " + bucket + " is always covered");
    }

    /** The version of a request with a client key: sticky for as long as the weights stay put. */
    public static String chooseFor(Weights weights, String clientKey) {
        return choose(weights, bucketOf(clientKey));
    }

    /** The version of a request without a client key: at random by weight, from an injected (seeded) source. */
    public static String chooseAtRandom(Weights weights, RandomGenerator random) {
        return choose(weights, random.nextInt(BUCKETS));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}

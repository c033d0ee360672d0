package dev.weft.scheduler.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token secrets: {@code weft_} and 43 characters of base64url (32 random bytes, 256 bits) from {@link SecureRandom},
 * and the SHA-256 of a token, which is all that is stored.
 *
 * <p>Why SHA-256 and not bcrypt or Argon2: those slow hashes exist to protect low-entropy secrets that people
 * choose (passwords) against guessing once a hash leaks. A token is 256 random bits, which no amount of hashing
 * speed lets anyone guess, so a slow hash would add nothing but its cost on every request (bcrypt's ~100 ms per
 * API call). A fast, unsalted hash also lets the server find the token by its hash with one indexed lookup
 * instead of trying every stored hash. Passwords, which people choose, are stored with bcrypt.
 */
final class IssuedSecret {

    static final String PREFIX = "weft_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private IssuedSecret() {}

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The hash a configured token stands for: {@code sha256:<hex>} is one already, anything else is hashed. */
    static byte[] configuredHash(String configured) {
        if (configured.startsWith("sha256:")) {
            String hex = configured.substring("sha256:".length());
            if (hex.length() != 64) {
                throw new IllegalArgumentException(
                        "weft.security.admin.token: a sha256: entry needs 64 hex digits, had " + hex.length());
            }
            return HexFormat.of().parseHex(hex);
        }
        if (!configured.startsWith(PREFIX) || configured.length() < PREFIX.length() + 16) {
            throw new IllegalArgumentException(
                    "weft.security.admin.token must start with 'weft_' and have at least 16 characters after it"
                            + " (or be sha256:<64 hex digits>)");
        }
        return sha256(configured);
    }

    /** What an operator sees of a token to tell it from others: its first nine characters. */
    static String hint(String token) {
        return token.substring(0, Math.min(token.length(), PREFIX.length() + 4));
    }
}

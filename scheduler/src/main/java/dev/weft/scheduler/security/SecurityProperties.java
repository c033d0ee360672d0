package dev.weft.scheduler.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of operator authentication ({@code weft.security.*}).
 *
 * @param admin the first admin, from configuration: it exists before any token or account does
 * @param defaultTokenLifetime how long a token lives when its creator names no expiry
 * @param maxTokenLifetime the longest expiry a token may be given
 */
@ConfigurationProperties("weft.security")
record SecurityProperties(Admin admin, Duration defaultTokenLifetime, Duration maxTokenLifetime) {

    SecurityProperties {
        if (defaultTokenLifetime.isNegative()
                || defaultTokenLifetime.isZero()
                || defaultTokenLifetime.compareTo(maxTokenLifetime) > 0) {
            throw new IllegalArgumentException("weft.security.default-token-lifetime must be above 0 and at most "
                    + "weft.security.max-token-lifetime (" + maxTokenLifetime + "), was " + defaultTokenLifetime);
        }
    }

    /**
     * The first admin.
     *
     * @param name the account's name, which the audit log records for what it does
     * @param password its dashboard password, plain or already encoded ({@code {bcrypt}$2a$...}); empty: no
     *     password sign-in for it
     * @param token its API token ({@code weft_...}), or {@code sha256:<64 hex digits>} of one; empty: none
     */
    record Admin(String name, String password, String token) {}
}

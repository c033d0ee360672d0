package dev.weft.scheduler.security;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * What an operator may do, each role including the ones below it: a viewer reads; an operator also deploys, rolls
 * out, cordons, drains and re-plans; an admin also manages tokens and accounts, deletes and revokes agents.
 */
public enum Role {
    VIEWER,
    OPERATOR,
    ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role's name as the API writes it: {@code viewer}, {@code operator}, {@code admin}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Spring Security's authority for this role. */
    String authority() {
        return "ROLE_" + name();
    }

    /** The role named as the API writes it, or null for anything else. */
    static @Nullable Role fromWire(@Nullable String text) {
        for (Role role : values()) {
            if (role.wire().equals(text)) {
                return role;
            }
        }
        return null;
    }

    /** The highest role an authenticated principal holds, or null when it holds none. */
    public static @Nullable Role of(@Nullable Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return null;
        }
        Role best = null;
        for (GrantedAuthority granted : authentication.getAuthorities()) {
            for (Role role : values()) {
                if (role.authority().equals(granted.getAuthority()) && (best == null || role.includes(best))) {
                    best = role;
                }
            }
        }
        return best;
    }
}

package dev.weft.scheduler.security;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The dashboard's sign-in with an API token instead of a password: a form whose password is a {@code weft_...}
 * token (and whose name is empty) signs in as that token, with its role, for the session.
 */
final class TokenSignIn implements AuthenticationProvider {

    private final ApiTokens tokens;

    TokenSignIn(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) {
        Object credentials = authentication.getCredentials();
        String name = authentication.getName();
        if (!(credentials instanceof String secret)
                || !secret.startsWith(IssuedSecret.PREFIX)
                || (name != null && !name.isBlank())) {
            return null; // a password: the accounts' provider judges it
        }
        return switch (tokens.check(secret)) {
            case ApiTokens.Check.Valid valid ->
                UsernamePasswordAuthenticationToken.authenticated(
                        valid.name(),
                        null,
                        List.of(new SimpleGrantedAuthority(valid.role().authority())));
            case ApiTokens.Check.Unknown unknown -> throw new BadCredentialsException("unknown token");
            case ApiTokens.Check.Expired expired -> throw new BadCredentialsException("token expired");
            case ApiTokens.Check.Revoked revoked -> throw new BadCredentialsException("token revoked");
        };
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}

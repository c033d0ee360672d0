package dev.weft.scheduler.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.util.UrlPathHelper;

/**
 * Every REST request needs an operator token ({@code Authorization: Bearer weft_...}) or the dashboard's session;
 * {@link AccessPolicy} says which role. Refusals are RFC 9457 problems: 401 {@code UNAUTHENTICATED}, 403
 * {@code FORBIDDEN}. Forms and session-authenticated writes need a CSRF token; bearer-token requests do not (a
 * browser never adds that header on its own, so another site cannot forge one).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    static final String DEV_PASSWORD = "weft-local-dev-admin";
    static final String DEV_TOKEN = "weft_local-dev-admin-token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Bean
    PasswordEncoder passwordEncoder() {
        // "{bcrypt}..." by default, and still reads any other encoding Spring Security names in the prefix
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** The sign-in form's judge: a {@code weft_...} token with no name, else an account's name and password. */
    @Bean
    AuthenticationManager signIn(ApiTokens tokens, OperatorAccounts accounts, PasswordEncoder encoder) {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(accounts::load);
        passwords.setPasswordEncoder(encoder);
        return new ProviderManager(new TokenSignIn(tokens), passwords);
    }

    @Bean
    SecurityFilterChain weftSecurity(
            HttpSecurity http, ApiTokens tokens, ProblemWriter problems, SecurityProperties properties)
            throws Exception {
        warnAboutDevelopmentDefaults(properties);
        http.authorizeHttpRequests(authorize -> authorize
                        // the container's own dispatches of a request that was already let in (or refused)
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC, DispatcherType.FORWARD)
                        .permitAll()
                        .anyRequest()
                        .access(policy()))
                .addFilterBefore(new BearerTokenFilter(tokens, problems), UsernamePasswordAuthenticationFilter.class)
                .formLogin(form ->
                        form.loginPage("/login").defaultSuccessUrl("/", true).failureUrl("/login?error"))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .httpBasic(AbstractHttpConfigurer::disable)
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .csrf(csrf -> csrf.requireCsrfProtectionMatcher(csrfNeeded()))
                .exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, e) -> {
                            if (wantsAPage(request)) {
                                response.sendRedirect(request.getContextPath() + "/login");
                                return;
                            }
                            problems.write(
                                    request,
                                    response,
                                    SecurityError.UNAUTHENTICATED,
                                    "This request needs an operator token: send 'Authorization: Bearer weft_...'"
                                            + " (README, \"Operators, roles and tokens\")");
                        })
                        .accessDeniedHandler((request, response, e) -> problems.write(
                                request,
                                response,
                                SecurityError.FORBIDDEN,
                                e instanceof CsrfException
                                        ? "The form's CSRF token is missing or stale; reload the page and try again"
                                        : denied(request))));
        return http.build();
    }

    /** The firewall's refusals (a path with {@code //}, {@code ;} or {@code ..}) are problems like every other. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
        return (request, response, e) -> problems.write(
                request,
                response,
                dev.weft.scheduler.system.CommonError.INVALID_REQUEST,
                "The request line or headers are malformed: the path must be normalised (no '//', '/./', '/../' or"
                        + " ';'), and header names and values must be printable");
    }

    private static AuthorizationManager<RequestAuthorizationContext> policy() {
        return (authentication, context) -> {
            HttpServletRequest request = context.getRequest();
            Optional<Role> needed = AccessPolicy.required(request.getMethod(), path(request));
            if (needed.isEmpty()) {
                return new AuthorizationDecision(true);
            }
            Role held = Role.of(authentication.get());
            return new AuthorizationDecision(held != null && held.includes(needed.get()));
        };
    }

    private static String denied(HttpServletRequest request) {
        var authentication = org.springframework.security.core.context.SecurityContextHolder.getContext()
                .getAuthentication();
        Role held = Role.of(authentication);
        Role needed = AccessPolicy.required(request.getMethod(), path(request)).orElse(Role.VIEWER);
        String who = authentication == null ? "These credentials" : "'" + authentication.getName() + "'";
        return who + " has the role " + (held == null ? "none" : held.wire()) + "; " + request.getMethod()
                + " on this path needs " + needed.wire();
    }

    /** CSRF protects the sign-in form and every write that a session cookie authenticates. */
    private static RequestMatcher csrfNeeded() {
        return request -> !SAFE_METHODS.contains(request.getMethod())
                && request.getHeader("Authorization") == null
                && (request.getRequestedSessionId() != null || "/login".equals(path(request)));
    }

    /** A browser navigating to a page (not the API) is sent to sign in instead of getting a 401 problem. */
    private static boolean wantsAPage(HttpServletRequest request) {
        String path = path(request);
        String accept = request.getHeader("Accept");
        return "GET".equals(request.getMethod())
                && !path.startsWith("/api/")
                && !path.startsWith("/actuator")
                && accept != null
                && accept.contains("text/html");
    }

    static String path(HttpServletRequest request) {
        return UrlPathHelper.defaultInstance.getPathWithinApplication(request);
    }

    private static void warnAboutDevelopmentDefaults(SecurityProperties properties) {
        if (properties.admin().password().equals(DEV_PASSWORD)
                || properties.admin().token().equals(DEV_TOKEN)) {
            log.warn(
                    "The first admin '{}' uses the development password or token from the README: set"
                            + " WEFT_SECURITY_ADMIN_PASSWORD and WEFT_SECURITY_ADMIN_TOKEN in any shared environment",
                    properties.admin().name());
        }
    }
}

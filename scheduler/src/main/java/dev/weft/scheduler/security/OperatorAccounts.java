package dev.weft.scheduler.security;

import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.system.WeftException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Password accounts for the dashboard's sign-in: the first admin from configuration ({@code weft.security.admin.*},
 * never stored), and the accounts an admin creates, stored with a bcrypt hash of the password.
 */
@Service
class OperatorAccounts {

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final Clock clock;
    private final AuditLog auditLog;
    private final SecurityProperties.Admin admin;
    private final @Nullable String adminPasswordHash;

    OperatorAccounts(
            JdbcClient jdbc, SecurityProperties properties, PasswordEncoder encoder, Clock clock, AuditLog auditLog) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.clock = clock;
        this.auditLog = auditLog;
        this.admin = properties.admin();
        String password = admin.password();
        // an encoded value ("{bcrypt}$2a$...") is used as it is, so the plain password need not be in the configuration
        this.adminPasswordHash =
                password.isBlank() ? null : password.startsWith("{") ? password : encoder.encode(password);
    }

    /**
     * The account signing in, for the sign-in form's password check. Not a {@code UserDetailsService} bean: that
     * would make Spring Boot build a second sign-in judge beside {@link SecurityConfiguration#signIn}.
     */
    UserDetails load(String username) {
        if (username.equals(admin.name())) {
            if (adminPasswordHash == null) {
                throw new UsernameNotFoundException("the first admin has no password");
            }
            return user(username, Role.ADMIN, adminPasswordHash);
        }
        record Row(String role, String hash) {}
        Optional<Row> row = jdbc.sql("select role, password_hash from operator_accounts where name = ?")
                .param(username)
                .query((rs, n) -> new Row(rs.getString("role"), rs.getString("password_hash")))
                .optional();
        Role role = row.map(found -> Role.fromWire(found.role())).orElse(null);
        if (row.isEmpty() || role == null) {
            throw new UsernameNotFoundException("no such account");
        }
        return user(username, role, row.get().hash());
    }

    /** An account as the API shows it: never its password or hash. */
    record AccountView(String name, String role, Instant createdAt, String createdBy) {}

    @Transactional
    AccountView create(String name, Role role, String password, String createdBy) {
        if (name.equals(admin.name())) {
            throw exists(name);
        }
        try {
            jdbc.sql("insert into operator_accounts (name, role, password_hash, created_at, created_by)"
                            + " values (?, ?, ?, ?, ?)")
                    .params(name, role.wire(), encoder.encode(password), Timestamp.from(clock.instant()), createdBy)
                    .update();
        } catch (DuplicateKeyException taken) {
            throw exists(name);
        }
        auditLog.record(new AuditEvent(
                "ACCOUNT_CREATED",
                null,
                null,
                null,
                "Account '" + name + "' (" + role.wire() + ") created",
                Map.of("name", name, "role", role.wire())));
        return get(name);
    }

    @Transactional(readOnly = true)
    AccountView get(String name) {
        return jdbc.sql("select name, role, created_at, created_by from operator_accounts where name = ?")
                .param(name)
                .query(OperatorAccounts::view)
                .optional()
                .orElseThrow(() -> new WeftException(
                        SecurityError.ACCOUNT_NOT_FOUND,
                        "No account is named '"
                                + TokenController.shown(name) + "'"
                                + (name.equals(admin.name())
                                        ? " (the first admin lives in the configuration, not here)"
                                        : "")));
    }

    @Transactional(readOnly = true)
    List<AccountView> list() {
        return jdbc.sql("select name, role, created_at, created_by from operator_accounts order by name")
                .query(OperatorAccounts::view)
                .list();
    }

    /** Deletes an account: it can no longer sign in (a session it already holds lasts until it ends). */
    @Transactional
    void delete(String name) {
        get(name);
        jdbc.sql("delete from operator_accounts where name = ?").param(name).update();
        auditLog.record(new AuditEvent(
                "ACCOUNT_DELETED", null, null, null, "Account '" + name + "' deleted", Map.of("name", name)));
    }

    private static AccountView view(ResultSet rs, int row) throws SQLException {
        return new AccountView(
                rs.getString("name"),
                rs.getString("role"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"));
    }

    private static WeftException exists(String name) {
        return new WeftException(SecurityError.ACCOUNT_EXISTS, "An account is already named '" + name + "'");
    }

    private static UserDetails user(String name, Role role, String hash) {
        return User.withUsername(name)
                .password(hash)
                .authorities(role.authority())
                .build();
    }
}

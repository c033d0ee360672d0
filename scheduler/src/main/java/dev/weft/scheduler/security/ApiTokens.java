package dev.weft.scheduler.security;

import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.system.WeftException;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Operator API tokens: issued with a role and an expiry, shown once, stored as a SHA-256 of the token
 * ({@link IssuedSecret} says why that hash), revocable. The first admin's token comes from configuration and is
 * never stored.
 */
@Service
class ApiTokens {

    /** How often a token's {@code lastUsedAt} is written at most, so a busy client does not write on every call. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog auditLog;
    private final SecurityProperties properties;
    private final byte @Nullable [] adminTokenHash;
    private final Map<Long, Instant> lastUseWritten = new ConcurrentHashMap<>();

    ApiTokens(JdbcClient jdbc, Clock clock, AuditLog auditLog, SecurityProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.auditLog = auditLog;
        this.properties = properties;
        String configured = properties.admin().token();
        this.adminTokenHash = configured.isBlank() ? null : IssuedSecret.configuredHash(configured.strip());
    }

    /** A token as the API shows it: never its secret. */
    record TokenView(
            long id,
            String name,
            String role,
            String hint,
            String state,
            Instant createdAt,
            String createdBy,
            Instant expiresAt,
            @Nullable Instant revokedAt,
            @Nullable String revokedBy,
            @Nullable Instant lastUsedAt) {}

    /** A token just issued: the only time its secret is shown. */
    record Issued(TokenView view, String token) {}

    /** What a presented token turned out to be. */
    sealed interface Check {
        record Valid(String name, Role role) implements Check {}

        record Unknown() implements Check {}

        record Expired(String name, Instant at) implements Check {}

        record Revoked(String name, Instant at) implements Check {}
    }

    @Transactional
    Issued issue(String name, Role role, Duration lifetime, String createdBy) {
        Instant now = clock.instant();
        String token = IssuedSecret.newToken();
        long id;
        try {
            id = jdbc.sql("""
                    insert into api_tokens (name, role, secret_sha256, hint, created_at, created_by, expires_at)
                    values (?, ?, ?, ?, ?, ?, ?) returning id""")
                    .params(
                            name,
                            role.wire(),
                            IssuedSecret.sha256(token),
                            IssuedSecret.hint(token),
                            Timestamp.from(now),
                            createdBy,
                            Timestamp.from(now.plus(lifetime)))
                    .query(Long.class)
                    .single();
        } catch (DuplicateKeyException taken) {
            throw new WeftException(
                    SecurityError.TOKEN_NAME_TAKEN,
                    "A live token is already named '" + name + "'; revoke it first (DELETE /api/v1/tokens/{id}) or"
                            + " choose another name");
        }
        TokenView view = get(id);
        auditLog.record(new AuditEvent(
                "TOKEN_CREATED",
                null,
                null,
                null,
                "Token '" + name + "' (" + role.wire() + ") created, expiring at " + view.expiresAt(),
                Map.of(
                        "tokenId",
                        id,
                        "name",
                        name,
                        "role",
                        role.wire(),
                        "expiresAt",
                        view.expiresAt().toString())));
        return new Issued(view, token);
    }

    @Transactional(readOnly = true)
    TokenView get(long id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    private Optional<TokenView> find(long id) {
        return jdbc.sql("select * from api_tokens where id = ?")
                .param(id)
                .query(this::view)
                .optional();
    }

    /** Tokens newest first; revoked ones only when asked. */
    @Transactional(readOnly = true)
    List<TokenView> list(boolean includeRevoked) {
        return jdbc.sql("select * from api_tokens " + (includeRevoked ? "" : "where revoked_at is null ")
                        + "order by id desc")
                .query(this::view)
                .list();
    }

    /** Revokes a token at once; revoking it again changes nothing and answers the same. */
    @Transactional
    TokenView revoke(long id, String by) {
        TokenView token = get(id);
        if (token.revokedAt() != null) {
            return token;
        }
        jdbc.sql("update api_tokens set revoked_at = ?, revoked_by = ? where id = ? and revoked_at is null")
                .params(Timestamp.from(clock.instant()), by, id)
                .update();
        auditLog.record(new AuditEvent(
                "TOKEN_REVOKED",
                null,
                null,
                null,
                "Token '" + token.name() + "' revoked",
                Map.of("tokenId", id, "name", token.name())));
        return get(id);
    }

    /** Checks a presented bearer token. */
    Check check(String presented) {
        byte[] hash = IssuedSecret.sha256(presented);
        if (adminTokenHash != null && MessageDigest.isEqual(hash, adminTokenHash)) {
            return new Check.Valid(properties.admin().name(), Role.ADMIN);
        }
        record Row(
                long id,
                String name,
                String role,
                Instant expiresAt,
                @Nullable Instant revokedAt) {}
        Optional<Row> found = jdbc.sql(
                        "select id, name, role, expires_at, revoked_at from api_tokens where secret_sha256 = ?")
                .param(hash)
                .query((rs, n) -> new Row(
                        rs.getLong("id"),
                        rs.getString("name"),
                        rs.getString("role"),
                        rs.getTimestamp("expires_at").toInstant(),
                        instant(rs, "revoked_at")))
                .optional();
        if (found.isEmpty()) {
            return new Check.Unknown();
        }
        Row row = found.get();
        Instant now = clock.instant();
        if (row.revokedAt() != null) {
            return new Check.Revoked(row.name(), row.revokedAt());
        }
        if (!now.isBefore(row.expiresAt())) {
            return new Check.Expired(row.name(), row.expiresAt());
        }
        Role role = Role.fromWire(row.role());
        if (role == null) {
            return new Check.Unknown();
        }
        noteUse(row.id(), now);
        return new Check.Valid(row.name(), role);
    }

    private void noteUse(long id, Instant now) {
        Instant written = lastUseWritten.get(id);
        if (written != null && written.plus(LAST_USED_RESOLUTION).isAfter(now)) {
            return;
        }
        lastUseWritten.put(id, now);
        jdbc.sql("update api_tokens set last_used_at = ? where id = ?")
                .params(Timestamp.from(now), id)
                .update();
    }

    private TokenView view(ResultSet rs, int row) throws SQLException {
        Instant expiresAt = rs.getTimestamp("expires_at").toInstant();
        Instant revokedAt = instant(rs, "revoked_at");
        String state = revokedAt != null ? "revoked" : clock.instant().isBefore(expiresAt) ? "active" : "expired";
        return new TokenView(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("role"),
                rs.getString("hint"),
                state,
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"),
                expiresAt,
                revokedAt,
                rs.getString("revoked_by"),
                instant(rs, "last_used_at"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    static WeftException notFound(long id) {
        return new WeftException(SecurityError.TOKEN_NOT_FOUND, "No token has id " + id);
    }
}

package dev.weft.scheduler.events;

import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends to and reads the audit log. Writes join the caller's transaction, so an action and its
 * record commit or roll back together. Each recorded event is also published as a Spring application event
 * in that transaction, so features react to what happened ({@code @TransactionalEventListener} hears it once
 * the action committed).
 */
@Service
public class AuditLog {

    /** The actor of what the control plane does on its own. */
    public static final String SYSTEM = "system";

    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final ApplicationEventPublisher publisher;

    AuditLog(JdbcClient jdbc, JsonMapper json, Clock clock, ApplicationEventPublisher publisher) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.publisher = publisher;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(AuditEvent event) {
        jdbc.sql("""
                insert into events (occurred_at, kind, application_name, version_name, agent_id, message, details, actor)
                values (?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)""")
                .param(Timestamp.from(clock.instant()))
                .param(event.kind())
                .param(event.application())
                .param(event.version())
                .param(event.agent())
                .param(truncate(event.message()))
                .param(json.writeValueAsString(event.details()))
                .param(actor())
                .update();
        publisher.publishEvent(event);
    }

    /**
     * Who did what is being recorded: the operator whose request this thread serves (a token's or an account's
     * name), or {@code system} for what the control plane does on its own (its loops, agents' streams, a request
     * relayed from another node).
     */
    static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null
                || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return SYSTEM;
        }
        String name = authentication.getName();
        return name.length() <= 128 ? name : name.substring(0, 128);
    }

    /** Events newest first, optionally only those of one application. */
    @Transactional(readOnly = true)
    public List<EventView> newestFirst(@Nullable String application, int offset, int limit) {
        // Two statements rather than "? is null or application_name = ?": a generic plan of that
        // condition could not use events_application_idx, and the log only grows.
        String select =
                "select id, occurred_at, kind, actor, application_name, version_name, agent_id, message, details::text as details from events ";
        var query = application == null
                ? jdbc.sql(select + "order by id desc offset ? limit ?").params(offset, limit)
                : jdbc.sql(select + "where application_name = ? order by id desc offset ? limit ?")
                        .params(application, offset, limit);
        return query.query((rs, row) -> new EventView(
                        rs.getLong("id"),
                        rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("kind"),
                        rs.getString("actor"),
                        rs.getString("application_name"),
                        rs.getString("version_name"),
                        rs.getString("agent_id"),
                        rs.getString("message"),
                        json.readValue(rs.getString("details"), DETAILS)))
                .list();
    }

    @Transactional(readOnly = true)
    public long count(@Nullable String application) {
        var query = application == null
                ? jdbc.sql("select count(*) from events")
                : jdbc.sql("select count(*) from events where application_name = ?")
                        .param(application);
        return query.query(Long.class).single();
    }

    private static String truncate(String message) {
        return message.length() <= 2048 ? message : message.substring(0, 2045) + "...";
    }

    /** One event as the API shows it. */
    public record EventView(
            long id,
            Instant occurredAt,
            String kind,

            @Schema(
                    description = "Who did it: the operator token's or account's name; 'system' for the control"
                            + " plane's own actions; 'unknown' for events from before operators signed in",
                    example = "alice")
            String actor,

            @Nullable String application,
            @Nullable String version,
            @Nullable String agent,
            String message,
            Map<String, Object> details) {}
}

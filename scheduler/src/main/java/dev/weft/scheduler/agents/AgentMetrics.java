package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

import dev.weft.scheduler.load.LoadSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The agent registry's meters: {@code weft.agents.connected} (streams open on this node),
 * {@code weft.agents.lease.expiries}, {@code weft.agents.messages.rejected} tagged with the error code
 * as {@code reason}, {@code weft.agents.reports} tagged with their {@code outcome},
 * {@code weft.agents.reports.trimmed} and {@code weft.agents.reports.overlapping} (reports whose interval
 * reached into time earlier reports had covered), and {@code weft.agents.liveness.write.failures}.
 */
@Component
class AgentMetrics {

    private final Counter leaseExpiries;
    private final Counter trimmed;
    private final Counter overlapping;
    private final Counter livenessWriteFailures;
    private final Map<AgentError, Counter> rejected = new EnumMap<>(AgentError.class);
    private final Map<LoadSink.Admission, Counter> reports = new EnumMap<>(LoadSink.Admission.class);

    AgentMetrics(MeterRegistry registry, AgentSessions sessions) {
        Gauge.builder("weft.agents.connected", sessions, AgentSessions::count)
                .description("Agent streams open on this control-plane node")
                .register(registry);
        this.leaseExpiries = Counter.builder("weft.agents.lease.expiries")
                .description("Agents marked lost because their lease ran out")
                .register(registry);
        this.trimmed = Counter.builder("weft.agents.reports.trimmed")
                .description("Load reports whose interval was cut to the time no earlier report covered")
                .register(registry);
        this.overlapping = Counter.builder("weft.agents.reports.overlapping")
                .description("Load reports not counted: they covered only time earlier reports had covered")
                .register(registry);
        this.livenessWriteFailures = Counter.builder("weft.agents.liveness.write.failures")
                .description("Agent liveness rows the database refused; they are retried by the next sweep")
                .register(registry);
        for (AgentError error : AgentError.values()) {
            rejected.put(
                    error,
                    Counter.builder("weft.agents.messages.rejected")
                            .description("Agent messages rejected, by reason")
                            .tag("reason", error.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        for (LoadSink.Admission admission : LoadSink.Admission.values()) {
            reports.put(
                    admission,
                    Counter.builder("weft.agents.reports")
                            .description("Load reports handed to ingestion, by how ingestion took them")
                            .tag("outcome", admission.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
    }

    void leaseExpired(int count) {
        leaseExpiries.increment(count);
    }

    void trimmed() {
        trimmed.increment();
    }

    void overlapping() {
        overlapping.increment();
    }

    void livenessWriteFailed(int rows) {
        livenessWriteFailures.increment(rows);
    }

    void rejected(AgentError reason) {
        requireNonNull(rejected.get(reason)).increment();
    }

    void report(LoadSink.Admission admission) {
        requireNonNull(reports.get(admission)).increment();
    }
}

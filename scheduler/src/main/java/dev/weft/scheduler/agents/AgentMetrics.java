package dev.weft.scheduler.agents;

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
 * as {@code reason}, and {@code weft.agents.reports} tagged with their {@code outcome}.
 */
@Component
class AgentMetrics {

    private final Counter leaseExpiries;
    private final Map<AgentError, Counter> rejected = new EnumMap<>(AgentError.class);
    private final Map<LoadSink.Admission, Counter> reports = new EnumMap<>(LoadSink.Admission.class);

    AgentMetrics(MeterRegistry registry, AgentSessions sessions) {
        Gauge.builder("weft.agents.connected", sessions, AgentSessions::count)
                .description("Agent streams open on this control-plane node").register(registry);
        this.leaseExpiries = Counter.builder("weft.agents.lease.expiries")
                .description("Agents marked lost because their lease ran out").register(registry);
        for (AgentError error : AgentError.values()) {
            rejected.put(error, Counter.builder("weft.agents.messages.rejected")
                    .description("Agent messages rejected, by reason")
                    .tag("reason", error.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        for (LoadSink.Admission admission : LoadSink.Admission.values()) {
            reports.put(admission, Counter.builder("weft.agents.reports")
                    .description("Load reports handed to ingestion, by how ingestion took them")
                    .tag("outcome", admission.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    void leaseExpired(int count) {
        leaseExpiries.increment(count);
    }

    void rejected(AgentError reason) {
        rejected.get(reason).increment();
    }

    void report(LoadSink.Admission admission) {
        reports.get(admission).increment();
    }
}

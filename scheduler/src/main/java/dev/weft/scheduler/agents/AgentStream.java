package dev.weft.scheduler.agents;

import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.AssignmentAck;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Heartbeat;
import dev.weft.api.agent.v1.MessageError;
import dev.weft.api.agent.v1.ReportAck;
import dev.weft.api.agent.v1.SlowDown;
import dev.weft.scheduler.load.LoadReport;
import dev.weft.scheduler.load.LoadSink;
import dev.weft.scheduler.violations.Violations;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's stream as the control plane reads it: a hello first, then heartbeats, reports and acks.
 * gRPC delivers one stream's messages one at a time, so this class needs no locks of its own. A
 * protocol error ends only this stream; a bad report is answered in-stream and the stream goes on.
 */
final class AgentStream implements StreamObserver<AgentMessage> {

    private static final Logger log = LoggerFactory.getLogger(AgentStream.class);
    /** Reports accepted in a row at a stretched interval before the agent may report at the normal one again. */
    static final int RECOVER_AFTER = 10;

    private final ServerCallStreamObserver<ControlMessage> out;
    private final AgentStreamService.Collaborators with;
    private final AtomicBoolean ended = new AtomicBoolean();
    // set by the stream thread on hello, read by the cancel handler on another thread
    private volatile @Nullable AgentSession session;

    AgentStream(ServerCallStreamObserver<ControlMessage> out, AgentStreamService.Collaborators with) {
        this.out = out;
        this.with = with;
        out.setOnCancelHandler(this::ended);
        out.setOnReadyHandler(() -> {
            AgentSession current = session;
            if (current != null) {
                current.readyAgain();
            }
        });
    }

    @Override
    public void onNext(AgentMessage message) {
        if (ended.get()) {
            return;
        }
        try {
            int size = message.getSerializedSize();
            if (size > with.properties().maxMessageBytes()) {
                throw new AgentException(
                        AgentError.MESSAGE_TOO_LARGE,
                        bodyName(message) + " of " + size + " bytes exceeds the limit of "
                                + with.properties().maxMessageBytes() + " bytes per agent message");
            }
            AgentSession current = session;
            if (current != null && current.closed()) {
                return; // the control plane ended this stream (its status waits behind unread messages): ignore the
                // rest
            }
            if (current == null) {
                if (!message.hasHello()) {
                    throw new AgentException(
                            AgentError.NOT_REGISTERED,
                            bodyName(message) + " sent before hello: the first message of a stream must be a hello");
                }
                AgentHello hello = AgentHello.of(message.getHello());
                with.translator().checkReplicas(hello.replicas(), "hello.running_replicas");
                AgentSession opened = with.registry().connect(hello, out);
                session = opened;
                if (ended.get()) {
                    // the agent hung up while its hello was being recorded: record the disconnect now
                    with.registry().disconnected(opened);
                    return;
                }
                // its desired state follows the welcome at once (a reconnect re-syncs instead of starting over)
                with.events()
                        .publishEvent(new AgentStreamEvent.Connected(
                                hello.agentId(),
                                hello.address(),
                                hello.appliedGeneration(),
                                hello.replicas().stream()
                                        .map(AgentViews::reported)
                                        .toList()));
                return;
            }
            if (!current.allowance().tryTake(with.clock().millis())) {
                throw new AgentException(
                        AgentError.RATE_LIMITED,
                        "agent '" + current.agentId() + "' sent more than "
                                + with.properties().burst() + " messages at once or more than "
                                + with.properties().messagesPerSecond()
                                + " per second; this stream is closed, reconnect after a backoff");
            }
            current.seen(with.clock().instant());
            current.handling(true);
            try {
                handle(current, message);
            } finally {
                current.handling(false);
                current.seen(with.clock().instant());
            }
        } catch (AgentException e) {
            with.metrics().rejected(e.error());
            end(e.error().status(e.detail()));
        } catch (RuntimeException e) {
            log.error(
                    "Failed to handle a message of agent stream {}",
                    session == null ? "(before hello)" : session.agentId(),
                    e);
            end(Status.INTERNAL.withDescription("the control plane failed to handle this message; see its log"));
        }
    }

    private void handle(AgentSession current, AgentMessage message) {
        switch (message.getBodyCase()) {
            case HELLO ->
                throw new AgentException(
                        AgentError.ALREADY_REGISTERED,
                        "hello sent twice: agent '" + current.agentId() + "' is already registered on this stream");
            case HEARTBEAT -> heartbeat(current, message.getHeartbeat());
            case LOAD_REPORT -> report(current, message.getLoadReport());
            case VIOLATION_REPORT ->
                inStream(
                        current,
                        message.getViolationReport().getSequence(),
                        () -> with.violations().record(current.agentId(), message.getViolationReport()));
            case ASSIGNMENT_ACK -> inStream(current, 0, () -> acknowledged(current, message.getAssignmentAck()));
            case BODY_NOT_SET -> {
                // a body added by a newer agent: ignore it, as the compatibility rules say
            }
        }
    }

    private void acknowledged(AgentSession current, AssignmentAck ack) {
        long generation = generation("assignment_ack.generation", ack.getGeneration());
        if (ack.getFailedAssignmentIdsCount() > AgentHello.MAX_REPLICAS) {
            throw new AgentException(
                    AgentError.INVALID_FIGURE,
                    "assignment_ack.failed_assignment_ids of agent '" + current.agentId() + "' lists "
                            + ack.getFailedAssignmentIdsCount() + " ids, at most " + AgentHello.MAX_REPLICAS);
        }
        current.applied(generation);
        with.events()
                .publishEvent(new AgentStreamEvent.Acknowledged(
                        current.agentId(),
                        generation,
                        ack.getApplied(),
                        AgentHello.abbreviate(ack.getMessage()),
                        ack.getFailedAssignmentIdsList()));
    }

    private void heartbeat(AgentSession current, Heartbeat heartbeat) {
        inStream(current, 0, () -> {
            var replicas = AgentHello.replicas(
                    heartbeat.getRunningReplicasList(), "heartbeat.running_replicas", current.agentId());
            with.translator().checkReplicas(replicas, "heartbeat.running_replicas");
            int cpu = heartbeat.getUsage().getCpuMillicores();
            int memory = heartbeat.getUsage().getMemoryMib();
            if (cpu < 0 || memory < 0) {
                throw new AgentException(
                        AgentError.INVALID_FIGURE,
                        "heartbeat.usage of agent '" + current.agentId() + "' is out of range");
            }
            long generation = generation("heartbeat.applied_generation", heartbeat.getAppliedGeneration());
            if (current.heartbeat(with.clock().instant(), cpu, memory, replicas, generation)) {
                with.events()
                        .publishEvent(new AgentStreamEvent.ReplicasChanged(
                                current.agentId(),
                                replicas.stream().map(AgentViews::reported).toList()));
            }
            if (current.draining() && replicas.isEmpty()) {
                with.gate().run(() -> with.operations().releaseIfEmpty(current.agentId()));
            }
        });
    }

    private void report(AgentSession current, dev.weft.api.agent.v1.LoadReport report) {
        inStream(current, report.getSequence(), () -> {
            LoadReport translated;
            try {
                translated = with.translator().translate(current.agentId(), report);
            } catch (AgentException refused) {
                Violations.Observed evidence = refused.evidence();
                if (evidence != null) {
                    with.violations().recordEdge(current.agentId(), evidence);
                }
                throw refused;
            }
            // only time no earlier report of this agent covered counts, so a report cannot inflate load
            double counted = current.allowance().cover(with.clock().instant(), translated.intervalSeconds());
            ReportAck.Builder ack = ReportAck.newBuilder()
                    .setSequence(report.getSequence())
                    .setCountedInterval(AgentRegistry.duration(java.time.Duration.ofNanos((long) (counted * 1e9))));
            if (counted <= 0) {
                with.metrics().overlapping();
                current.send(ControlMessage.newBuilder()
                        .setReportAck(ack.setOutcome(ReportAck.Outcome.OUTCOME_OVERLAP))
                        .build());
                return;
            }
            if (counted < translated.intervalSeconds()) {
                with.metrics().trimmed();
                translated = new LoadReport(
                        translated.agentId(),
                        translated.observedAt(),
                        counted,
                        translated.components(),
                        translated.edges());
            }
            LoadSink.Receipt receipt = with.sink().offer(translated);
            with.metrics().report(receipt.admission());
            ReportAck.Outcome outcome = receipt.droppedSamples() > 0
                    ? ReportAck.Outcome.OUTCOME_PARTIAL
                    : receipt.admission() == LoadSink.Admission.COALESCED
                            ? ReportAck.Outcome.OUTCOME_COALESCED
                            : ReportAck.Outcome.OUTCOME_ACCEPTED;
            current.send(ControlMessage.newBuilder()
                    .setReportAck(ack.setOutcome(outcome).setSamplesDropped(receipt.droppedSamples()))
                    .build());
            pace(current, receipt.admission());
        });
    }

    /** uint64 on the wire: a generation of 2^63 or more arrives negative in Java, and no plan ever gets that far. */
    private static long generation(String field, long value) {
        if (value < 0) {
            throw new AgentException(
                    AgentError.INVALID_FIGURE,
                    field + " is " + Long.toUnsignedString(value)
                            + ", above the largest generation the control plane issues (" + Long.MAX_VALUE + ")");
        }
        return value;
    }

    /** Backpressure: stretch the agent's report interval while the writer is behind, restore it once it keeps up. */
    private void pace(AgentSession current, LoadSink.Admission admission) {
        Duration normal = with.properties().reportInterval();
        Duration interval = current.reportInterval();
        switch (admission) {
            case SLOW_DOWN -> {
                Duration longer =
                        min(interval.multipliedBy(2), with.properties().maxReportInterval());
                current.reportInterval(longer);
                if (!longer.equals(interval)) {
                    current.send(slowDown(longer, "the load writer is behind"));
                }
            }
            case ACCEPTED, COALESCED -> {
                if (!interval.equals(normal) && current.acceptedAtStretchedInterval() >= RECOVER_AFTER) {
                    current.reportInterval(normal);
                    current.send(slowDown(normal, "the load writer caught up"));
                }
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static ControlMessage slowDown(Duration interval, String reason) {
        return ControlMessage.newBuilder()
                .setSlowDown(SlowDown.newBuilder()
                        .setReportInterval(AgentRegistry.duration(interval))
                        .setReason(reason))
                .build();
    }

    /** Runs a handler whose rejections are answered on the stream, which stays open. */
    private void inStream(AgentSession current, long sequence, Runnable handler) {
        try {
            handler.run();
        } catch (AgentException e) {
            with.metrics().rejected(e.error());
            Status status = e.error().status(e.detail());
            current.send(ControlMessage.newBuilder()
                    .setError(MessageError.newBuilder()
                            .setCode(status.getCode().value())
                            .setCodeName(status.getCode().name())
                            .setMessage(e.detail())
                            .setSequence(sequence))
                    .build());
        }
    }

    @Override
    public void onError(Throwable t) {
        ended();
    }

    @Override
    public void onCompleted() {
        AgentSession current = session;
        ended();
        if (current != null) {
            current.close();
        } else if (!out.isCancelled()) {
            out.onCompleted();
        }
    }

    /** Ends the stream with a status; only this agent's stream is affected. */
    private void end(Status status) {
        AgentSession current = session;
        ended();
        if (current != null) {
            current.fail(status);
        } else if (!out.isCancelled()) {
            out.onError(status.asRuntimeException());
        }
    }

    private void ended() {
        if (ended.compareAndSet(false, true)) {
            AgentSession current = session;
            if (current != null) {
                with.registry().disconnected(current);
            }
        }
    }

    private static String bodyName(AgentMessage message) {
        return message.getBodyCase() == AgentMessage.BodyCase.BODY_NOT_SET
                ? "a message without a known body"
                : message.getBodyCase().name().toLowerCase(java.util.Locale.ROOT);
    }
}

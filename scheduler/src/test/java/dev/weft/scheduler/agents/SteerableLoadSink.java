package dev.weft.scheduler.agents;

import dev.weft.scheduler.load.LoadReport;
import dev.weft.scheduler.load.LoadSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Stands in front of the real load sink in agent tests: hands every report on to it, remembers what it
 * was given, and can be told to answer with a given admission (to show backpressure without loading the
 * writer until it falls behind).
 */
final class SteerableLoadSink implements LoadSink {

    private final ObjectProvider<LoadSink> sinks;
    private final List<LoadReport> offered = new CopyOnWriteArrayList<>();
    private volatile @Nullable Admission forced;
    private volatile int forcedDropped = -1;

    SteerableLoadSink(ObjectProvider<LoadSink> sinks) {
        this.sinks = sinks;
    }

    @Override
    public Receipt offer(LoadReport report) {
        offered.add(report);
        Receipt real = sinks.orderedStream()
                .filter(sink -> sink != this)
                .findFirst()
                .map(sink -> sink.offer(report))
                .orElse(new Receipt(Admission.ACCEPTED, 0));
        Admission override = forced;
        int dropped = forcedDropped >= 0 ? forcedDropped : real.droppedSamples();
        return new Receipt(override == null ? real.admission() : override, dropped);
    }

    /** Answers every later report with this admission; null to stop. */
    void force(@Nullable Admission admission) {
        this.forced = admission;
        if (admission == null) {
            this.forcedDropped = -1;
        }
    }

    /** Says this many samples of every later report were dropped (until {@code force(null)}). */
    void forceDropped(int samples) {
        this.forcedDropped = samples;
    }

    List<LoadReport> offeredBy(String agentId) {
        return offered.stream()
                .filter(report -> report.agentId().equals(agentId))
                .toList();
    }
}

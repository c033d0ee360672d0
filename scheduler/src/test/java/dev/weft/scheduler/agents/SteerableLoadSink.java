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

    SteerableLoadSink(ObjectProvider<LoadSink> sinks) {
        this.sinks = sinks;
    }

    @Override
    public Admission offer(LoadReport report) {
        offered.add(report);
        Admission real = sinks.orderedStream().filter(sink -> sink != this).findFirst()
                .map(sink -> sink.offer(report)).orElse(Admission.ACCEPTED);
        Admission override = forced;
        return override == null ? real : override;
    }

    void force(@Nullable Admission admission) {
        this.forced = admission;
    }

    List<LoadReport> offeredBy(String agentId) {
        return offered.stream().filter(report -> report.agentId().equals(agentId)).toList();
    }
}

package dev.weft.agent.runtime;

import dev.weft.api.runtime.v1.ComponentCounters;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one hosted component: calls served, errors, CPU and busy time, calls in flight. */
public final class ComponentMeter {

    private final String name;
    private final LongAdder calls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder cpuNanos = new LongAdder();
    private final LongAdder busyNanos = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();

    ComponentMeter(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    void addCpu(long nanos) {
        if (nanos > 0) {
            cpuNanos.add(nanos);
        }
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void ended(long wallNanos, boolean failed) {
        inFlight.decrementAndGet();
        calls.increment();
        busyNanos.add(Math.max(0, wallNanos));
        if (failed) {
            errors.increment();
        }
    }

    /** Calls in flight right now. */
    public int inFlight() {
        return inFlight.get();
    }

    ComponentCounters drain() {
        return ComponentCounters.newBuilder()
                .setComponent(name)
                .setCalls(calls.sumThenReset())
                .setErrors(errors.sumThenReset())
                .setCpuNanos(cpuNanos.sumThenReset())
                .setBusyNanos(busyNanos.sumThenReset())
                .setInFlight(Math.max(0, inFlight.get()))
                .build();
    }
}

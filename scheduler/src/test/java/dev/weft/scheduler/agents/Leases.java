package dev.weft.scheduler.agents;

import java.util.List;
import org.springframework.context.ApplicationContext;

/** For tests of other features: run the lease sweeper once, as the schedule would after the clock moved. */
public final class Leases {

    private Leases() {}

    /** Writes agents' liveness, marks those whose lease ran out lost, releases drained ones; returns those lost. */
    public static List<String> sweep(ApplicationContext context) {
        return context.getBean(LeaseSweeper.class).sweep();
    }
}

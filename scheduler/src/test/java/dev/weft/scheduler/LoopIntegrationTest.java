package dev.weft.scheduler;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole control plane with the scheduling loop running (planner, push, deployments) against real agents over
 * gRPC: a clock the test moves ({@link LoopClock}), the lease sweeper driven by hand, a short load window (30 s in
 * three slices, read 10 s behind the clock) and short debounces, so a test sees plans, pushes and re-placements
 * within a fraction of a second without sleeping. All loop tests share this one context; each works on its own
 * application and agents and undeploys what it deployed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        classes = WeftApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "weft.agents.bootstrap-tokens=" + LoopIntegrationTest.TOKEN,
            "weft.agents.lease=15s",
            "weft.agents.sweep-interval=1h",
            "weft.agents.burst=2000",
            "weft.agents.messages-per-second=2000",
            "weft.planner.window=30s",
            "weft.planner.slices=3",
            "weft.planner.load-lag=10s",
            "weft.planner.check-interval=200ms",
            "weft.planner.debounce=300ms",
            "weft.planner.urgent-debounce=50ms",
            "weft.deployments.check-interval=100ms",
            "weft.push.max-start-failures=2",
            "weft.push.ack-flush-interval=50ms",
            "weft.rollouts.counted-gap=1m",
            "weft.rollouts.tick-interval=200ms"
        })
@ActiveProfiles("test")
@Import(LoopIntegrationTest.Fakes.class)
public @interface LoopIntegrationTest {

    String TOKEN = "loop-test-token";

    @TestConfiguration(proxyBeanMethods = false)
    class Fakes {
        @Bean
        @Primary
        LoopClock loopClock() {
            return new LoopClock(Instant.parse("2032-06-01T08:00:00Z"));
        }
    }
}

package dev.weft.scheduler.agents;

import dev.weft.scheduler.WeftApplication;
import dev.weft.scheduler.load.LoadSink;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole control plane (REST on a random port, gRPC on another, embedded PostgreSQL) with a clock the
 * test moves, the lease sweeper driven by hand, a small per-agent burst so a flood shows quickly, and small
 * bounds on load held in memory so backpressure shows after a few reports.
 * All agent tests share this one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        classes = WeftApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "weft.agents.bootstrap-tokens=" + AgentIntegrationTest.TOKEN + ",sha256:"
                    + AgentIntegrationTest.SECOND_TOKEN_SHA256,
            "weft.agents.lease=15s",
            "weft.agents.sweep-interval=1h",
            "weft.agents.burst=40",
            "weft.agents.messages-per-second=5",
            "weft.agents.max-message-size=1MB",
            // small memory bounds, so AgentBackpressureTest fills them with a few reports
            "weft.load.soft-pending-entries=100",
            "weft.load.max-pending-entries=400",
            "spring.grpc.server.inbound.message.max-size=2MB"
        })
@ActiveProfiles("test")
@Import(AgentIntegrationTest.Fakes.class)
@interface AgentIntegrationTest {

    String TOKEN = "test-bootstrap-token";
    /** SHA-256 of "second-token", configured as a hash. */
    String SECOND_TOKEN_SHA256 = "7a35833597e6687c599a0988b7a53b9b6a7ec18b88ca2a8e60f3265c8be6d527";

    @TestConfiguration(proxyBeanMethods = false)
    class Fakes {
        @Bean
        @Primary
        SettableClock settableClock() {
            return new SettableClock(Instant.parse("2031-03-01T12:00:00Z"));
        }

        @Bean
        @Primary
        SteerableLoadSink steerableLoadSink(ObjectProvider<LoadSink> sinks) {
            return new SteerableLoadSink(sinks);
        }
    }
}

package dev.weft.scheduler.load;

import dev.weft.scheduler.WeftIntegrationTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole control plane with a clock the test moves, the writer and retention job driven by hand,
 * and small memory bounds so backpressure shows with a few thousand entries. The load tests share it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WeftIntegrationTest
@Import(LoadIngestionTest.FakeTime.class)
@TestPropertySource(
        properties = {
            "weft.load.scheduled=false",
            "weft.load.batch-size=500",
            "weft.load.soft-pending-entries=300",
            "weft.load.max-pending-entries=2000",
            "weft.load.slow-flush=200ms",
            "weft.load.retention=1h",
            "weft.load.compacted-bucket=5m",
            "weft.load.compacted-retention=1d"
        })
@interface LoadIngestionTest {

    @TestConfiguration(proxyBeanMethods = false)
    class FakeTime {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        }
    }
}

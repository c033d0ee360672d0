package dev.weft.scheduler.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings that cannot work are refused at startup with the key that is wrong. */
class LoadPropertiesTest {

    private static LoadProperties with(Duration bucket, Duration compacted, int soft, int max) {
        return new LoadProperties(
                bucket,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                5000,
                soft,
                max,
                Duration.ofSeconds(2),
                Duration.ofHours(24),
                compacted,
                Duration.ofDays(30),
                Duration.ofMinutes(1),
                true);
    }

    @Test
    void theDefaultsShapeIsAccepted() {
        LoadProperties properties = with(Duration.ofSeconds(10), Duration.ofMinutes(5), 20_000, 100_000);
        assertThat(properties.bucketSeconds()).isEqualTo(10);
        assertThat(properties.slowDownEntries()).isEqualTo(80_000);
    }

    @Test
    void aBucketOfPartSecondsIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(Duration.ofMillis(1500), Duration.ofMinutes(5), 1, 2))
                .withMessageContaining("weft.load.bucket");
    }

    @Test
    void aCompactedBucketThatIsNotAMultipleOfTheBucketIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(Duration.ofSeconds(7), Duration.ofMinutes(5), 1, 2))
                .withMessageContaining("weft.load.compacted-bucket");
    }

    @Test
    void aSoftBoundAboveTheHardBoundIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(Duration.ofSeconds(10), Duration.ofMinutes(5), 10, 5))
                .withMessageContaining("soft-pending-entries");
    }
}

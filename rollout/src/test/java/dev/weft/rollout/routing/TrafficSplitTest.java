package dev.weft.rollout.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

    @Test
    void bucketsMatchVectorsComputedIndependently() {
        // printf '%s' KEY | sha256sum; first 16 hex digits as an unsigned integer, mod 10000 (computed with Python)
        assertThat(TrafficSplit.bucketOf("alice")).isEqualTo(207); // 2bd806c97f0e00af
        assertThat(TrafficSplit.bucketOf("bob")).isEqualTo(8650); // 81b637d8fcd2c6da: above 2^63, read unsigned
        assertThat(TrafficSplit.bucketOf("")).isEqualTo(1652); // e3b0c44298fc1c14
        assertThat(TrafficSplit.bucketOf("client-42")).isEqualTo(3066);
        assertThat(TrafficSplit.bucketOf("ünïcødé")).isEqualTo(7556); // UTF-8, not the platform charset
    }

    @Test
    void aClientGoesToTheNewVersionExactlyWhenItsBucketIsBelowTheNewWeight() {
        Weights tenPercent = Weights.split("v2", "v1", 1_000);
        assertThat(TrafficSplit.choose(tenPercent, 0)).isEqualTo("v2");
        assertThat(TrafficSplit.choose(tenPercent, 999)).isEqualTo("v2");
        assertThat(TrafficSplit.choose(tenPercent, 1_000)).isEqualTo("v1");
        assertThat(TrafficSplit.choose(tenPercent, 9_999)).isEqualTo("v1");
        assertThat(TrafficSplit.chooseFor(tenPercent, "alice")).isEqualTo("v2"); // bucket 207
        assertThat(TrafficSplit.chooseFor(tenPercent, "bob")).isEqualTo("v1"); // bucket 8650
    }

    @Test
    void aVersionAtZeroIsNeverChosen() {
        Weights none = Weights.split("v2", "v1", 0);
        Weights all = Weights.split("v2", "v1", 10_000);
        for (int bucket = 0; bucket < TrafficSplit.BUCKETS; bucket++) {
            assertThat(TrafficSplit.choose(none, bucket)).isEqualTo("v1");
            assertThat(TrafficSplit.choose(all, bucket)).isEqualTo("v2");
        }
    }

    @Test
    void bucketsOutOfRangeAreRefused() {
        Weights w = Weights.only("v1");
        assertThatThrownBy(() -> TrafficSplit.choose(w, 10_000)).hasMessageContaining("0 and 9999");
        assertThatThrownBy(() -> TrafficSplit.choose(w, -1)).hasMessageContaining("was -1");
    }

    @Test
    void requestsWithoutAKeyFollowTheWeightsFromASeededSource() {
        Weights quarter = Weights.split("v2", "v1", 2_500);
        SplittableRandom random = new SplittableRandom(7);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            counts.merge(TrafficSplit.chooseAtRandom(quarter, random), 1, Integer::sum);
        }
        assertThat(counts.get("v2")).isBetween(9_600, 10_400);
        assertThat(counts.get("v1")).isBetween(29_600, 30_400);
    }

    @Property(tries = 300)
    void raisingTheNewWeightOnlyMovesKeysFromOldToNew(
            @ForAll String key,
            @ForAll @IntRange(min = 0, max = 10_000) int lower,
            @ForAll @IntRange(min = 0, max = 10_000) int higher) {
        int low = Math.min(lower, higher);
        int high = Math.max(lower, higher);
        String before = TrafficSplit.chooseFor(Weights.split("new", "old", low), key);
        String after = TrafficSplit.chooseFor(Weights.split("new", "old", high), key);
        if (before.equals("new")) {
            assertThat(after)
                    .as("a client on the new version stays there when its weight rises")
                    .isEqualTo("new");
        }
        if (after.equals("old")) {
            assertThat(before)
                    .as("a client on the old version at the higher weight was there before")
                    .isEqualTo("old");
        }
    }

    @Property(tries = 200)
    void theShareOfBucketsOnTheNewVersionIsItsWeight(@ForAll @IntRange(min = 0, max = 10_000) int weight) {
        Weights split = Weights.split("new", "old", weight);
        int onNew = 0;
        for (int bucket = 0; bucket < TrafficSplit.BUCKETS; bucket++) {
            if (TrafficSplit.choose(split, bucket).equals("new")) {
                onNew++;
            }
        }
        assertThat(onNew).isEqualTo(weight);
    }
}

package dev.weft.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.TrafficSplit;
import dev.weft.api.agent.v1.VersionWeight;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VersionChooserTest {

    private static TrafficSplit split(String first, int firstBp, String second, int secondBp) {
        return TrafficSplit.newBuilder()
                .setApplication("shop")
                .setGeneration(1)
                .addWeights(VersionWeight.newBuilder().setVersion(first).setWeightBp(firstBp))
                .addWeights(VersionWeight.newBuilder().setVersion(second).setWeightBp(secondBp))
                .build();
    }

    @Test
    void theBucketIsTheFirstEightBytesOfSha256ModTenThousand() {
        // computed independently: int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], 'big') % 10000
        assertThat(VersionChooser.bucket("alice")).isEqualTo(207);
        assertThat(VersionChooser.bucket("bob")).isEqualTo(8650);
        assertThat(VersionChooser.bucket("client-42")).isEqualTo(3066);
    }

    @Test
    void aClientGoesToTheNewVersionExactlyWhenItsBucketIsBelowTheNewWeight() {
        SplittableRandom random = new SplittableRandom(1);
        assertThat(VersionChooser.choose(split("v2", 208, "v1", 9792), "alice", random))
                .isEqualTo("v2");
        assertThat(VersionChooser.choose(split("v2", 207, "v1", 9793), "alice", random))
                .isEqualTo("v1");
        assertThat(VersionChooser.choose(split("v2", 8651, "v1", 1349), "bob", random))
                .isEqualTo("v2");
        assertThat(VersionChooser.choose(split("v2", 0, "v1", 10000), "bob", random))
                .isEqualTo("v1");
    }

    @Test
    void raisingTheNewWeightOnlyEverMovesClientsFromOldToNew() {
        SplittableRandom random = new SplittableRandom(1);
        Map<String, String> previous = new HashMap<>();
        for (int w = 0; w <= 10_000; w += 250) {
            TrafficSplit s = split("v2", w, "v1", 10_000 - w);
            for (int c = 0; c < 500; c++) {
                String key = "client-" + c;
                String now = VersionChooser.choose(s, key, random);
                String before = previous.put(key, now);
                if ("v2".equals(before)) {
                    assertThat(now).as("client %s at weight %d", key, w).isEqualTo("v2");
                }
            }
        }
        assertThat(previous.values()).containsOnly("v2");
    }

    @Test
    void withoutAKeyTheChoiceFollowsTheWeightsFromTheSeededSource() {
        SplittableRandom random = new SplittableRandom(7);
        int v2 = 0;
        for (int i = 0; i < 20_000; i++) {
            if ("v2".equals(VersionChooser.choose(split("v2", 2500, "v1", 7500), null, random))) {
                v2++;
            }
        }
        assertThat(v2).isBetween(4700, 5300);
        assertThat(VersionChooser.choose(split("v2", 0, "v1", 0), "alice", random))
                .isNull();
    }
}

package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.agent.testapp.Front;
import dev.weft.agent.testapp.Item;
import dev.weft.agent.testapp.Store;
import dev.weft.agent.testapp.TestApp;
import dev.weft.api.runtime.v1.ComponentCounters;
import dev.weft.api.runtime.v1.EdgeCounters;
import dev.weft.api.runtime.v1.ReplicaLoad;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalCallsTest {

    @Test
    void aColocatedCallHandsTheSameObjectToTheCallee() {
        try (WeftRuntime weft = Weft.local(TestApp.definition("local"))) {
            Item item = new Item("pear", new ArrayList<>(List.of("fruit")), new HashMap<>());
            assertThat(weft.get(Store.class).echo(item)).isSameAs(item);
            weft.get(Store.class).put(item);
            assertThat(weft.get(Store.class).get("pear")).isSameAs(item);
        }
    }

    @Test
    void localCallsAreMeasuredPerComponentAndPerEdge() {
        try (WeftRuntime weft = Weft.local(TestApp.definition("local"))) {
            Front front = weft.get(Front.class);
            for (int i = 0; i < 100; i++) {
                assertThat(front.tagCount("apple")).isEqualTo(2);
            }
            assertThatThrownBy(() -> front.tagCount("nothing")).isInstanceOf(IllegalArgumentException.class);
            ReplicaLoad load = weft.engine().meters().drain();
            ComponentCounters store = counters(load, "store");
            assertThat(store.getCalls()).isEqualTo(101);
            assertThat(store.getErrors()).isEqualTo(1);
            assertThat(counters(load, "front").getCalls()).isEqualTo(101);
            EdgeCounters edge = load.getEdgesList().stream()
                    .filter(e -> e.getCaller().equals("front") && e.getCallee().equals("store"))
                    .findFirst()
                    .orElseThrow();
            assertThat(edge.getCalls()).isEqualTo(101);
            assertThat(edge.getErrors()).isEqualTo(1);
            assertThat(edge.getBytes())
                    .as("bytes estimated from sampled encodings")
                    .isPositive();
            // a call from outside any component (the test) is no edge
            assertThat(load.getEdgesList()).hasSize(1);
            // the counters restart from zero
            assertThat(counters(weft.engine().meters().drain(), "store").getCalls())
                    .isZero();
        }
    }

    @Test
    void cpuTimeIsChargedToTheComponentWhoseCodeRan() {
        try (WeftRuntime weft = Weft.local(TestApp.definition("local"))) {
            Store store = weft.get(Store.class);
            for (int i = 0; i < 2000; i++) {
                store.all();
            }
            ReplicaLoad load = weft.engine().meters().drain();
            assertThat(counters(load, "store").getCpuNanos()).isPositive();
            assertThat(counters(load, "store").getBusyNanos())
                    .isGreaterThanOrEqualTo(counters(load, "store").getCpuNanos() / 2);
        }
    }

    @Test
    void aClassThatIsNotAnAnnotatedInterfaceIsRefusedByName() {
        assertThatThrownBy(() -> WeftApp.builder("x").component(Runnable.class, c -> () -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Runnable is not an interface annotated @WeftComponent");
        try (WeftRuntime weft = Weft.local(TestApp.definition("local"))) {
            assertThatThrownBy(() -> weft.get(Runnable.class))
                    .hasMessageContaining("java.lang.Runnable is not a component of application 'testapp'");
        }
    }

    static ComponentCounters counters(ReplicaLoad load, String component) {
        return load.getComponentsList().stream()
                .filter(c -> c.getComponent().equals(component))
                .findFirst()
                .orElseThrow();
    }
}

package dev.weft.rollout.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IsolationTest {

    private static Endpoint endpoint(String address, String version) {
        return new Endpoint(address, "a-" + address, version);
    }

    @Test
    void aTableListingOnlyItsOwnVersionIsPure() {
        RoutingTable table = new RoutingTable(
                "shop",
                "v2",
                List.of(
                        new Route("cart", List.of(endpoint("10.0.0.1:7000", "v2"), endpoint("10.0.0.2:7000", "v2"))),
                        new Route("catalog", List.of())));
        assertThat(Isolation.impurities(table)).isEmpty();
        assertThat(Isolation.isVersionPure(table)).isTrue();
    }

    @Test
    void everyEndpointOfAnotherVersionIsReportedWithWhereItIs() {
        Endpoint stray = endpoint("10.0.0.9:7000", "v1");
        RoutingTable table = new RoutingTable(
                "shop",
                "v2",
                List.of(
                        new Route("cart", List.of(endpoint("10.0.0.1:7000", "v2"), stray)),
                        new Route("catalog", List.of(endpoint("10.0.0.8:7000", "v3")))));
        List<Impurity> found = Isolation.impurities(table);
        assertThat(found).extracting(Impurity::component).containsExactly("cart", "catalog");
        assertThat(found.getFirst().endpoint()).isEqualTo(stray);
        assertThat(found.getFirst().detail())
                .isEqualTo("the routing table of shop v2 lists 10.0.0.9:7000 (assignment a-10.0.0.9:7000) for cart,"
                        + " which runs v1");
        assertThat(Isolation.isVersionPure(table)).isFalse();
    }

    @Test
    void onlyAgentsRunningTheVersionMayReceiveItsTable() {
        RoutingTable table = new RoutingTable("shop", "v2", List.of());
        assertThat(Isolation.mayReceive(table, Set.of("v1", "v2"))).isTrue();
        assertThat(Isolation.mayReceive(table, Set.of("v1"))).isFalse();
        assertThat(Isolation.mayReceive(table, Set.of())).isFalse();
    }

    @Test
    void aCallAcrossVersionsIsAViolation() {
        assertThat(Isolation.classify("v1", "v1")).isEqualTo(CallKind.SAME_VERSION);
        assertThat(Isolation.classify("v1", "v2")).isEqualTo(CallKind.VIOLATION);
        assertThat(Isolation.classify("v2", "v1")).isEqualTo(CallKind.VIOLATION);
    }
}

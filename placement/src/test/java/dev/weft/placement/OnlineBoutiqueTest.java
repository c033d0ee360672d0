package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Google's Online Boutique (GoogleCloudPlatform/microservices-demo) at the Service Weaver paper's 10,000 QPS.
 *
 * <p>Sources of the numbers:
 * <ul>
 *   <li>Task mix: src/loadgenerator/locustfile.py, {@code tasks = {index: 1, setCurrency: 2, browseProduct: 10,
 *       addToCart: 2, viewCart: 3, checkout: 1}} (19 tasks). addToCart first GETs the product page; checkout
 *       runs addToCart first; POST /cart and POST /setCurrency answer 302 (to /cart and to / respectively,
 *       src/frontend/handlers.go) and the client follows. Per 19 tasks that is 3 home pages, 13 product
 *       pages, 3 add-to-cart posts, 6 cart pages and 1 order: 26 pages. 10,000 pages/s gives s = 10,000/26.</li>
 *   <li>Calls per page: src/frontend/handlers.go. Home: GetSupportedCurrencies, ListProducts, GetCart, 9 ×
 *       Convert (9 products in the catalog), GetAds. Product: GetProduct, GetSupportedCurrencies, GetCart,
 *       Convert, ListRecommendations, GetAds. Add to cart: GetProduct, AddItem. Cart: GetSupportedCurrencies,
 *       GetCart, ListRecommendations, GetQuote, and per cart item GetProduct + Convert (we assume 2 items).
 *       Order: PlaceOrder, ListRecommendations, GetSupportedCurrencies.</li>
 *   <li>checkoutservice PlaceOrder (src/checkoutservice/main.go): GetCart, per item GetProduct + Convert,
 *       GetQuote, Convert of the shipping cost, Charge, ShipOrder, EmptyCart, SendOrderConfirmation.
 *       recommendationservice calls ListProducts once per request. cartservice does one redis operation per
 *       cart call (two for AddItem).</li>
 *   <li>The eleven components: the ten services plus redis-cart, the cart store, which Service Weaver's own
 *       port models as a component (its cart cache) — the paper's "eleven microservices".</li>
 *   <li>CPU of useful work and bytes per call are our estimates (frontend HTML rendering dominates, small
 *       protobuf messages, ~3 KB for ListProducts); they set the scale, not the shape of the graph.</li>
 * </ul>
 */
class OnlineBoutiqueTest {
    private static final double S = 10_000.0 / 26; // task-mix units per second

    static Problem boutique(double adserviceMemGiB) {
        List<Component> c = List.of(
                Component.of("frontend", 4.0, 0.25),
                Component.of("cartservice", 0.3, 0.2),
                Component.of("productcatalogservice", 0.4, 0.1),
                Component.of("currencyservice", 0.6, 0.1),
                Component.of("paymentservice", 0.02, 0.1),
                Component.of("shippingservice", 0.05, 0.1),
                Component.of("emailservice", 0.02, 0.1),
                Component.of("checkoutservice", 0.05, 0.1),
                Component.of("recommendationservice", 0.3, 0.2),
                Component.of("adservice", 0.2, adserviceMemGiB),
                Component.of("redis-cart", 0.2, 0.5));
        List<Edge> e = new ArrayList<>();
        e.add(edge("frontend", "currencyservice", 23 + 52, 120)); // GetSupportedCurrencies + Convert
        e.add(edge("frontend", "productcatalogservice", 3 + 28, 600)); // ListProducts (3 KB) + GetProduct
        e.add(edge("frontend", "cartservice", 22 + 3, 200)); // GetCart + AddItem
        e.add(edge("frontend", "recommendationservice", 20, 300));
        e.add(edge("recommendationservice", "productcatalogservice", 20, 3000));
        e.add(edge("frontend", "adservice", 16, 200));
        e.add(edge("frontend", "shippingservice", 6, 200));
        e.add(edge("frontend", "checkoutservice", 1, 1000));
        e.add(edge("checkoutservice", "cartservice", 2, 200));
        e.add(edge("checkoutservice", "productcatalogservice", 2, 300));
        e.add(edge("checkoutservice", "currencyservice", 3, 120));
        e.add(edge("checkoutservice", "shippingservice", 2, 200));
        e.add(edge("checkoutservice", "paymentservice", 1, 200));
        e.add(edge("checkoutservice", "emailservice", 1, 500));
        e.add(edge("cartservice", "redis-cart", 22 + 2 * 3 + 2, 200));
        return new Problem(c, e, Constraints.NONE, Problems.agents(30, 3, 16, 64), null, CostModel.DEFAULTS);
    }

    /** perUnit calls for every task-mix unit, each call carrying bytesPerCall in total. */
    private static Edge edge(String caller, String callee, double perUnit, double bytesPerCall) {
        return new Edge(caller, callee, perUnit * S, perUnit * S * bytesPerCall);
    }

    @Test
    void boutiqueCollapsesIntoFarFewerProcessesThanElevenMicroservices() {
        Problem p = boutique(0.2);
        Plan plan = ((PlanResult.Feasible) new Planner().plan(p)).plan();

        assertThat(PlanChecker.violations(p, plan, true)).isEmpty();
        assertThat(plan.solver()).isEqualTo("exact");
        assertThat(plan.provenOptimal()).isTrue();
        Baselines b = plan.baselines();
        assertThat(b.onePerProcess().feasible()).isTrue();
        assertThat(b.singleProcess().feasible()).isTrue();
        // ~88k remote calls/s cost ~4.5 cores (÷0.7 utilisation) in the microservice layout; colocation removes them.
        assertThat(plan.score().costPerHour())
                .isLessThan(0.75 * b.onePerProcess().costPerHour());
        assertThat(plan.score().costPerHour())
                .isLessThanOrEqualTo(b.singleProcess().costPerHour());
        PlannedGroup withFrontend = plan.groups().stream()
                .filter(g -> g.components().contains("frontend"))
                .findFirst()
                .orElseThrow();
        assertThat(withFrontend.components()).contains("currencyservice", "productcatalogservice", "cartservice");
        assertThat(plan.explanations())
                .anySatisfy(x -> assertThat(x.together())
                        .anySatisfy(n -> assertThat(n.callee()).isEqualTo("currencyservice")));
    }

    @Test
    void aMemoryHeavyLightServiceIsSplitOffRatherThanReplicatedWithTheFrontend() {
        // An 8 GiB adservice (a JVM with a large ad index) must not ride along on every frontend replica.
        Problem p = boutique(8.0);
        Plan plan = ((PlanResult.Feasible) new Planner().plan(p)).plan();

        assertThat(PlanChecker.violations(p, plan, true)).isEmpty();
        PlannedGroup ads = plan.groups().stream()
                .filter(g -> g.components().contains("adservice"))
                .findFirst()
                .orElseThrow();
        assertThat(ads.components()).doesNotContain("frontend");
        GroupExplanation why = plan.explanations().stream()
                .filter(x -> x.group().equals(ads.id()))
                .findFirst()
                .orElseThrow();
        assertThat(why.cut())
                .anySatisfy(n -> assertThat(n.why()).contains("kept apart").contains("GiB"));
    }
}

package dev.weft.examples.boutique;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.weft.agent.Weft;
import dev.weft.agent.WeftRuntime;
import dev.weft.agent.http.HttpServing;
import dev.weft.examples.boutique.Services.Frontend;
import dev.weft.examples.boutique.load.BoutiqueLoad;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole shop in one process over real HTTP, as a shopper and as the load generator use it. */
class BoutiqueTest {

    private WeftRuntime weft;
    private HttpServer server;
    private URI base;
    private final HttpClient http = HttpClient.newHttpClient();
    private String cookies = "";

    @BeforeEach
    void start() throws Exception {
        weft = Weft.local(Boutique.app(Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC)));
        server = HttpServing.serve(weft.get(Frontend.class), new InetSocketAddress("127.0.0.1", 0));
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        weft.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        if (!cookies.isEmpty()) {
            request.header("cookie", cookies);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String set : response.headers().allValues("set-cookie")) {
            String pair = set.split(";", 2)[0];
            cookies = cookies.isEmpty() ? pair : cookies + "; " + pair;
        }
        return response;
    }

    @Test
    void aShopperBrowsesFillsTheCartChangesCurrencyAndChecksOut() throws Exception {
        HttpResponse<String> home = get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body())
                .contains("\"name\":\"Sunglasses\"")
                .contains("\"price\":\"USD 19.99\"")
                .contains("JPY");
        assertThat(cookies).startsWith(FrontendImpl.SESSION + "=");

        HttpResponse<String> product = get("/product/1YMWWN1N4O");
        assertThat(product.body())
                .contains("\"name\":\"Watch\"")
                .contains("\"recommendations\"")
                .contains("Watch for sale");
        assertThat(product.body()).contains("\"id\":\"OLJCESPC7Z\""); // sunglasses: also accessories, recommended first

        assertThat(post("/cart", "product_id=1YMWWN1N4O&quantity=2").body()).contains("\"cartSize\":1");
        assertThat(post("/cart", "product_id=6E92ZMYYFZ&quantity=1").body()).contains("\"cartSize\":2");
        // 2 x 109.99 + 8.99, shipping 5.99 + 2 x 1.00 in the US
        HttpResponse<String> cart = get("/cart");
        assertThat(cart.body()).contains("\"total\":\"USD 236.96\"").contains("\"shippingCost\":\"USD 7.99\"");

        assertThat(post("/setCurrency", "currency_code=EUR").statusCode()).isEqualTo(200);
        assertThat(get("/product/OLJCESPC7Z").body()).contains("\"price\":\"EUR 17.68\""); // 19.99 / 1.1305

        HttpResponse<String> order = post(
                "/cart/checkout",
                "email=someone%40example.com&street_address=Kurfuerstendamm+1"
                        + "&zip_code=10719&city=Berlin&state=&country=DE&credit_card_number=4432-8015-6152-0454"
                        + "&credit_card_expiration_month=1&credit_card_expiration_year=2039&credit_card_cvv=672");
        assertThat(order.statusCode()).as(order.body()).isEqualTo(200);
        // (219.98 + 8.99 + 7.99 + 7.00 abroad) USD in EUR
        assertThat(order.body()).contains("\"orderId\"").contains("\"items\":2").contains("\"total\":\"EUR 215.80\"");
        assertThat(get("/cart").body()).contains("\"items\":[]");
    }

    @Test
    void badInputIsA400ThatSaysWhatIsWrong() throws Exception {
        assertThat(get("/product/NOPE").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = post("/cart", "product_id=1YMWWN1N4O&quantity=many");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("quantity must be a whole number, was 'many'");
        assertThat(post("/cart", "product_id=NOPE").body()).contains("no product with id 'NOPE'");
        assertThat(post("/setCurrency", "currency_code=XXX").body()).contains("unsupported currency 'XXX'");
        post("/cart", "product_id=1YMWWN1N4O");
        HttpResponse<String> card = post(
                "/cart/checkout",
                "email=a%40b.co&street_address=x&city=y&country=US"
                        + "&credit_card_number=4111111111111112&credit_card_expiration_month=1"
                        + "&credit_card_expiration_year=2039&credit_card_cvv=1");
        assertThat(card.statusCode()).isEqualTo(400);
        assertThat(card.body()).contains("credit card number is not valid");
        HttpResponse<String> expired = post(
                "/cart/checkout",
                "email=a%40b.co&street_address=x&city=y&country=US"
                        + "&credit_card_number=4432-8015-6152-0454&credit_card_expiration_month=11"
                        + "&credit_card_expiration_year=2026&credit_card_cvv=1");
        assertThat(expired.body()).contains("the card expired");
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void theLoadGeneratorRunsTheTaskMixWithoutErrors() throws Exception {
        BoutiqueLoad.Result result = new BoutiqueLoad(
                        new BoutiqueLoad.Options(base, 100, Duration.ofSeconds(2), 20, 1, "X-Weft-Client"))
                .run();
        assertThat(result.runs()).isEqualTo(200);
        assertThat(result.errors()).isZero();
        assertThat(result.tasks().get(BoutiqueLoad.Task.BROWSE_PRODUCT).runs())
                .isGreaterThan(result.tasks().get(BoutiqueLoad.Task.CHECKOUT).runs());
        assertThat(BoutiqueLoad.table(result)).contains("| browse_product | 10 |");
        // every call between components was measured
        var load = weft.engine().meters().drain();
        assertThat(load.getEdgesList())
                .extracting(e -> e.getCaller() + "->" + e.getCallee())
                .contains(
                        "frontend->product-catalog",
                        "frontend->currency",
                        "checkout->payment",
                        "checkout->email",
                        "recommendation->product-catalog");
    }
}

package dev.weft.examples.boutique;

import dev.weft.agent.http.HttpCall;
import dev.weft.agent.http.HttpReply;
import dev.weft.agent.http.HttpServing;
import dev.weft.examples.boutique.Model.Ad;
import dev.weft.examples.boutique.Model.Address;
import dev.weft.examples.boutique.Model.Cart;
import dev.weft.examples.boutique.Model.CartItem;
import dev.weft.examples.boutique.Model.CreditCard;
import dev.weft.examples.boutique.Model.Money;
import dev.weft.examples.boutique.Model.OrderResult;
import dev.weft.examples.boutique.Model.PlaceOrder;
import dev.weft.examples.boutique.Model.Product;
import dev.weft.examples.boutique.Services.AdService;
import dev.weft.examples.boutique.Services.CartService;
import dev.weft.examples.boutique.Services.Checkout;
import dev.weft.examples.boutique.Services.Currency;
import dev.weft.examples.boutique.Services.Frontend;
import dev.weft.examples.boutique.Services.ProductCatalog;
import dev.weft.examples.boutique.Services.Recommendation;
import dev.weft.examples.boutique.Services.Shipping;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shop's web front, as JSON pages (Online Boutique's routes): {@code GET /}, {@code GET /product/{id}},
 * {@code POST /cart} (product_id, quantity), {@code GET /cart}, {@code POST /cart/empty},
 * {@code POST /cart/checkout} (email, street_address, zip_code, city, state, country, credit_card_number,
 * credit_card_expiration_month, credit_card_expiration_year, credit_card_cvv), {@code POST /setCurrency}
 * (currency_code), {@code GET /logout}. The session is the cookie {@code shop_session-id}, the currency
 * {@code shop_currency} (default USD). Bad input is a 400 with {@code {"error": "..."}}.
 */
final class FrontendImpl implements Frontend {

    static final String SESSION = "shop_session-id";
    static final String CURRENCY = "shop_currency";

    private final ProductCatalog catalog;
    private final Currency currency;
    private final CartService cart;
    private final Recommendation recommendation;
    private final Shipping shipping;
    private final Checkout checkout;
    private final AdService ads;
    private final JsonMapper json = JsonMapper.builder().build();

    FrontendImpl(
            ProductCatalog catalog,
            Currency currency,
            CartService cart,
            Recommendation recommendation,
            Shipping shipping,
            Checkout checkout,
            AdService ads) {
        this.catalog = catalog;
        this.currency = currency;
        this.cart = cart;
        this.recommendation = recommendation;
        this.shipping = shipping;
        this.checkout = checkout;
        this.ads = ads;
    }

    private record Session(String id, String currency, boolean fresh) {}

    @Override
    public HttpReply handle(HttpCall request) {
        Session session = session(request);
        try {
            String path = request.path();
            String method = request.method();
            HttpReply reply;
            if (method.equals("GET") && path.equals("/")) {
                reply = home(session);
            } else if (method.equals("GET") && path.startsWith("/product/")) {
                reply = product(session, path.substring("/product/".length()));
            } else if (method.equals("POST") && path.equals("/cart")) {
                reply = addToCart(session, form(request));
            } else if (method.equals("GET") && path.equals("/cart")) {
                reply = viewCart(session);
            } else if (method.equals("POST") && path.equals("/cart/empty")) {
                cart.emptyCart(session.id());
                reply = ok(Map.of("cartSize", 0));
            } else if (method.equals("POST") && path.equals("/cart/checkout")) {
                reply = placeOrder(session, form(request));
            } else if (method.equals("POST") && path.equals("/setCurrency")) {
                return setCurrency(session, form(request));
            } else if (method.equals("GET") && path.equals("/logout")) {
                return new HttpReply(
                        200,
                        Map.of("content-type", "application/json", "set-cookie", SESSION + "=; Max-Age=0; Path=/"),
                        "{\"loggedOut\":true}".getBytes(StandardCharsets.UTF_8));
            } else {
                reply = error(404, "no page " + method + " " + path);
            }
            return withSession(reply, session);
        } catch (IllegalArgumentException e) {
            return withSession(error(400, String.valueOf(e.getMessage())), session);
        }
    }

    private HttpReply home(Session session) {
        List<Map<String, Object>> products = new ArrayList<>();
        for (Product p : catalog.listProducts()) {
            products.add(productView(p, session));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("currency", session.currency());
        page.put("currencies", currency.supportedCurrencies());
        page.put("products", products);
        page.put("cartSize", cart.getCart(session.id()).items().size());
        page.put("ad", firstAd(List.of()));
        return ok(page);
    }

    private HttpReply product(Session session, String id) {
        Product p;
        try {
            p = catalog.getProduct(id);
        } catch (IllegalArgumentException e) {
            return error(404, String.valueOf(e.getMessage()));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("product", productView(p, session));
        page.put("description", p.description());
        page.put("recommendations", recommended(session, List.of(id)));
        page.put("ad", firstAd(p.categories()));
        return ok(page);
    }

    private HttpReply addToCart(Session session, Map<String, String> form) {
        String productId = required(form, "product_id");
        int quantity;
        try {
            quantity = Integer.parseInt(form.getOrDefault("quantity", "1"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("quantity must be a whole number, was '" + form.get("quantity") + "'");
        }
        cart.addItem(session.id(), new CartItem(productId, quantity));
        return ok(Map.of("cartSize", cart.getCart(session.id()).items().size()));
    }

    private HttpReply viewCart(Session session) {
        Cart c = cart.getCart(session.id());
        List<Map<String, Object>> items = new ArrayList<>();
        Money total = Money.of(session.currency(), 0, 0);
        List<String> ids = new ArrayList<>();
        for (CartItem item : c.items()) {
            Product p = catalog.getProduct(item.productId());
            Money cost = currency.convert(p.priceUsd(), session.currency()).times(item.quantity());
            total = total.plus(cost);
            ids.add(p.id());
            items.add(Map.of("product", p.name(), "id", p.id(), "quantity", item.quantity(), "cost", cost.display()));
        }
        Money shippingCost = currency.convert(shipping.getQuote(defaultAddress(), c.items()), session.currency());
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("shippingCost", shippingCost.display());
        page.put("total", total.plus(shippingCost).display());
        page.put("recommendations", recommended(session, ids));
        return ok(page);
    }

    private HttpReply placeOrder(Session session, Map<String, String> form) {
        Address address = new Address(
                required(form, "street_address"),
                required(form, "city"),
                form.getOrDefault("state", ""),
                required(form, "country"),
                form.getOrDefault("zip_code", ""));
        CreditCard card = new CreditCard(
                required(form, "credit_card_number"),
                number(form, "credit_card_cvv"),
                number(form, "credit_card_expiration_year"),
                number(form, "credit_card_expiration_month"));
        OrderResult order = checkout.placeOrder(
                new PlaceOrder(session.id(), session.currency(), address, required(form, "email"), card));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("orderId", order.orderId());
        page.put("shippingTrackingId", order.shippingTrackingId());
        page.put("shippingCost", order.shippingCost().display());
        page.put("total", order.total().display());
        page.put("items", order.items().size());
        page.put("recommendations", recommended(session, List.of()));
        return ok(page);
    }

    private HttpReply setCurrency(Session session, Map<String, String> form) {
        String code = required(form, "currency_code");
        if (!currency.supportedCurrencies().contains(code)) {
            return withSession(error(400, "unsupported currency '" + code + "'"), session);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("set-cookie", CURRENCY + "=" + code + "; Path=/");
        return new HttpReply(200, headers, ("{\"currency\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private List<Map<String, Object>> recommended(Session session, List<String> ids) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : recommendation.listRecommendations(session.id(), ids)) {
            out.add(productView(catalog.getProduct(id), session));
        }
        return out;
    }

    private Map<String, Object> productView(Product p, Session session) {
        return Map.of(
                "id",
                p.id(),
                "name",
                p.name(),
                "picture",
                p.picture(),
                "price",
                currency.convert(p.priceUsd(), session.currency()).display());
    }

    private Map<String, String> firstAd(List<String> categories) {
        List<Ad> list = ads.getAds(categories);
        return list.isEmpty()
                ? Map.of()
                : Map.of("text", list.get(0).text(), "url", list.get(0).redirectUrl());
    }

    private static Address defaultAddress() {
        return new Address("1600 Amphitheatre Parkway", "Mountain View", "CA", "US", "94043");
    }

    private static Map<String, String> form(HttpCall request) {
        String body = new String(request.body(), StandardCharsets.UTF_8);
        Map<String, String> out = new LinkedHashMap<>(HttpServing.params(request.query()));
        out.putAll(HttpServing.params(body));
        return out;
    }

    private static String required(Map<String, String> form, String name) {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("form field '" + name + "' is required");
        }
        return value;
    }

    private static int number(Map<String, String> form, String name) {
        String value = required(form, name);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("form field '" + name + "' must be a whole number, was '" + value + "'");
        }
    }

    private Session session(HttpCall request) {
        String id = null;
        String code = "USD";
        String cookies = request.header("cookie");
        if (cookies != null) {
            for (String part : cookies.split(";")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(SESSION) && !kv[1].isBlank()) {
                    id = kv[1];
                } else if (kv.length == 2 && kv[0].equals(CURRENCY) && CurrencyImpl.PER_EURO.containsKey(kv[1])) {
                    code = kv[1];
                }
            }
        }
        return id == null ? new Session(UUID.randomUUID().toString(), code, true) : new Session(id, code, false);
    }

    private static HttpReply withSession(HttpReply reply, Session session) {
        if (!session.fresh() || reply.headers().containsKey("set-cookie")) {
            return reply;
        }
        Map<String, String> headers = new LinkedHashMap<>(reply.headers());
        headers.put("set-cookie", SESSION + "=" + session.id() + "; Path=/");
        return new HttpReply(reply.status(), headers, reply.body());
    }

    private HttpReply ok(Object page) {
        return new HttpReply(200, Map.of("content-type", "application/json"), json.writeValueAsBytes(page));
    }

    private HttpReply error(int status, String message) {
        return new HttpReply(
                status, Map.of("content-type", "application/json"), json.writeValueAsBytes(Map.of("error", message)));
    }
}

package dev.weft.examples.boutique;

import dev.weft.agent.Idempotent;
import dev.weft.agent.WeftComponent;
import dev.weft.agent.http.HttpIngress;
import dev.weft.examples.boutique.Model.Ad;
import dev.weft.examples.boutique.Model.Address;
import dev.weft.examples.boutique.Model.Cart;
import dev.weft.examples.boutique.Model.CartItem;
import dev.weft.examples.boutique.Model.CreditCard;
import dev.weft.examples.boutique.Model.Money;
import dev.weft.examples.boutique.Model.OrderResult;
import dev.weft.examples.boutique.Model.PlaceOrder;
import dev.weft.examples.boutique.Model.Product;
import java.util.List;

/** The shop's component interfaces. */
public final class Services {

    private Services() {}

    /** The web shop: pages as JSON, the cart, checkout, the user's currency. */
    @WeftComponent("frontend")
    public interface Frontend extends HttpIngress {}

    @WeftComponent("product-catalog")
    public interface ProductCatalog {
        @Idempotent
        List<Product> listProducts();

        @Idempotent
        Product getProduct(String id);

        @Idempotent
        List<Product> searchProducts(String query);
    }

    @WeftComponent("currency")
    public interface Currency {
        @Idempotent
        List<String> supportedCurrencies();

        @Idempotent
        Money convert(Money from, String toCode);
    }

    @WeftComponent("cart")
    public interface CartService {
        void addItem(String userId, CartItem item);

        @Idempotent
        Cart getCart(String userId);

        void emptyCart(String userId);
    }

    @WeftComponent("shipping")
    public interface Shipping {
        @Idempotent
        Money getQuote(Address address, List<CartItem> items);

        String shipOrder(Address address, List<CartItem> items);
    }

    @WeftComponent("payment")
    public interface Payment {
        /** Charges the card and returns the transaction id. */
        String charge(Money amount, CreditCard card);
    }

    @WeftComponent("email")
    public interface Email {
        /** Renders and sends the confirmation; returns the message as sent. */
        String sendOrderConfirmation(String email, OrderResult order);
    }

    @WeftComponent("checkout")
    public interface Checkout {
        OrderResult placeOrder(PlaceOrder request);
    }

    @WeftComponent("recommendation")
    public interface Recommendation {
        @Idempotent
        List<String> listRecommendations(String userId, List<String> productIds);
    }

    @WeftComponent("ad")
    public interface AdService {
        @Idempotent
        List<Ad> getAds(List<String> contextKeys);
    }
}

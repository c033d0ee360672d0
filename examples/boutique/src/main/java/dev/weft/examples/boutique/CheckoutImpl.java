package dev.weft.examples.boutique;

import dev.weft.examples.boutique.Model.Cart;
import dev.weft.examples.boutique.Model.CartItem;
import dev.weft.examples.boutique.Model.Money;
import dev.weft.examples.boutique.Model.OrderItem;
import dev.weft.examples.boutique.Model.OrderResult;
import dev.weft.examples.boutique.Model.PlaceOrder;
import dev.weft.examples.boutique.Services.CartService;
import dev.weft.examples.boutique.Services.Checkout;
import dev.weft.examples.boutique.Services.Currency;
import dev.weft.examples.boutique.Services.Email;
import dev.weft.examples.boutique.Services.Payment;
import dev.weft.examples.boutique.Services.ProductCatalog;
import dev.weft.examples.boutique.Services.Shipping;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Places an order as Online Boutique's checkout service does: prices the cart's items in the user's currency, adds
 * the shipping quote, charges the card, ships, empties the cart and sends the confirmation.
 */
final class CheckoutImpl implements Checkout {

    private final CartService cart;
    private final ProductCatalog catalog;
    private final Currency currency;
    private final Shipping shipping;
    private final Payment payment;
    private final Email email;

    CheckoutImpl(
            CartService cart,
            ProductCatalog catalog,
            Currency currency,
            Shipping shipping,
            Payment payment,
            Email email) {
        this.cart = cart;
        this.catalog = catalog;
        this.currency = currency;
        this.shipping = shipping;
        this.payment = payment;
        this.email = email;
    }

    @Override
    public OrderResult placeOrder(PlaceOrder request) {
        Cart userCart = cart.getCart(request.userId());
        if (userCart.items().isEmpty()) {
            throw new IllegalArgumentException("the cart of '" + request.userId() + "' is empty");
        }
        List<OrderItem> items = new ArrayList<>();
        Money total = Money.of(request.userCurrency(), 0, 0);
        for (CartItem item : userCart.items()) {
            Money price = currency.convert(catalog.getProduct(item.productId()).priceUsd(), request.userCurrency());
            Money cost = price.times(item.quantity());
            items.add(new OrderItem(item, cost));
            total = total.plus(cost);
        }
        Money shippingCost =
                currency.convert(shipping.getQuote(request.address(), userCart.items()), request.userCurrency());
        total = total.plus(shippingCost);
        String transaction = payment.charge(total, request.card());
        String tracking = shipping.shipOrder(request.address(), userCart.items());
        cart.emptyCart(request.userId());
        OrderResult order = new OrderResult(
                UUID.randomUUID().toString(), tracking, shippingCost, request.address(), items, total, transaction);
        email.sendOrderConfirmation(request.email(), order);
        return order;
    }
}

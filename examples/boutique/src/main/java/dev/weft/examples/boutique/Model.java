package dev.weft.examples.boutique;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The shop's values: what components pass each other. */
public final class Model {

    private Model() {}

    /** An amount of money: whole units and nano units (10^-9) of a currency, both of one sign. */
    public record Money(String currencyCode, long units, int nanos) {
        public Money {
            requireNonNull(currencyCode, "currencyCode is null");
            if (nanos <= -1_000_000_000 || nanos >= 1_000_000_000) {
                throw new IllegalArgumentException("nanos must be within ±999,999,999, was " + nanos);
            }
            if ((units > 0 && nanos < 0) || (units < 0 && nanos > 0)) {
                throw new IllegalArgumentException("units and nanos must have the same sign");
            }
        }

        public static Money of(String code, long units, int nanos) {
            return new Money(code, units, nanos);
        }

        /** This amount times a whole number. */
        public Money times(int n) {
            long totalNanos = (units * 1_000_000_000L + nanos) * n;
            return new Money(currencyCode, totalNanos / 1_000_000_000L, (int) (totalNanos % 1_000_000_000L));
        }

        public Money plus(Money other) {
            if (!other.currencyCode.equals(currencyCode)) {
                throw new IllegalArgumentException("cannot add " + other.currencyCode + " to " + currencyCode);
            }
            long totalNanos = units * 1_000_000_000L + nanos + other.units * 1_000_000_000L + other.nanos;
            return new Money(currencyCode, totalNanos / 1_000_000_000L, (int) (totalNanos % 1_000_000_000L));
        }

        /** E.g. "EUR 12.35" (rounded to cents). */
        public String display() {
            long cents = Math.round((units * 1_000_000_000L + nanos) / 10_000_000.0);
            return String.format(java.util.Locale.ROOT, "%s %d.%02d", currencyCode, cents / 100, Math.abs(cents % 100));
        }
    }

    /** A product of the catalog. */
    public record Product(
            String id, String name, String description, String picture, Money priceUsd, List<String> categories) {
        public Product {
            categories = List.copyOf(categories);
        }
    }

    /** A line of a cart. */
    public record CartItem(String productId, int quantity) {
        public CartItem {
            if (quantity <= 0 || quantity > 1000) {
                throw new IllegalArgumentException("quantity must be 1-1000, was " + quantity);
            }
        }
    }

    /** A user's cart. */
    public record Cart(String userId, List<CartItem> items) {
        public Cart {
            items = List.copyOf(items);
        }
    }

    /** A postal address. */
    public record Address(String streetAddress, String city, String state, String country, String zipCode) {}

    /** A card to charge. */
    public record CreditCard(String number, int cvv, int expirationYear, int expirationMonth) {}

    /** One line of an order: the item and what it cost, in the user's currency. */
    public record OrderItem(CartItem item, Money cost) {}

    /** What checkout asks for. */
    public record PlaceOrder(String userId, String userCurrency, Address address, String email, CreditCard card) {}

    /** A placed order. */
    public record OrderResult(
            String orderId,
            String shippingTrackingId,
            Money shippingCost,
            Address address,
            List<OrderItem> items,
            Money total,
            String transactionId) {
        public OrderResult {
            items = List.copyOf(items);
        }
    }

    /** An advert. */
    public record Ad(String redirectUrl, String text) {}
}

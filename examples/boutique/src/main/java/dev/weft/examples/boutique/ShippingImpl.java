package dev.weft.examples.boutique;

import dev.weft.examples.boutique.Model.Address;
import dev.weft.examples.boutique.Model.CartItem;
import dev.weft.examples.boutique.Model.Money;
import dev.weft.examples.boutique.Services.Shipping;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** Quotes in US dollars: 5.99 for the first item, 1.00 per further item up to 19.99, 7.00 more abroad. */
final class ShippingImpl implements Shipping {

    private final AtomicLong shipments = new AtomicLong();

    @Override
    public Money getQuote(Address address, List<CartItem> items) {
        int count = items.stream().mapToInt(CartItem::quantity).sum();
        if (count == 0) {
            return Money.of("USD", 0, 0);
        }
        long cents = Math.min(1999, 599 + 100L * (count - 1));
        if (!address.country().equalsIgnoreCase("US") && !address.country().equalsIgnoreCase("United States")) {
            cents += 700;
        }
        return Money.of("USD", cents / 100, (int) (cents % 100) * 10_000_000);
    }

    @Override
    public String shipOrder(Address address, List<CartItem> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("nothing to ship");
        }
        if (address.streetAddress().isBlank()
                || address.city().isBlank()
                || address.country().isBlank()) {
            throw new IllegalArgumentException("the address needs a street, a city and a country");
        }
        String seed = address + "/" + shipments.incrementAndGet();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(digest, 0, 6).toUpperCase(Locale.ROOT);
            return hex.substring(0, 2) + "-" + hex.substring(2, 7) + "-" + hex.substring(7);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

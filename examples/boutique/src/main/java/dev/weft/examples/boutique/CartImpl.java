package dev.weft.examples.boutique;

import dev.weft.examples.boutique.Model.Cart;
import dev.weft.examples.boutique.Model.CartItem;
import dev.weft.examples.boutique.Services.CartService;
import dev.weft.examples.boutique.Services.ProductCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carts in memory, per user (so the version spec allows the cart one replica). Adding an item that is already in
 * the cart adds to its quantity; an unknown product is refused.
 */
final class CartImpl implements CartService {

    /** At most this many distinct products in one cart. */
    static final int MAX_LINES = 100;

    private final Map<String, Map<String, Integer>> carts = new ConcurrentHashMap<>();
    private final ProductCatalog catalog;

    CartImpl(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void addItem(String userId, CartItem item) {
        catalog.getProduct(item.productId()); // refuses an unknown product
        carts.compute(userId, (k, lines) -> {
            Map<String, Integer> next = lines == null ? new LinkedHashMap<>() : lines;
            if (!next.containsKey(item.productId()) && next.size() >= MAX_LINES) {
                throw new IllegalArgumentException("a cart holds at most " + MAX_LINES + " products");
            }
            next.merge(item.productId(), item.quantity(), (a, b) -> Math.min(1000, a + b));
            return next;
        });
    }

    @Override
    public Cart getCart(String userId) {
        Map<String, Integer> lines = carts.get(userId);
        List<CartItem> items = new ArrayList<>();
        if (lines != null) {
            synchronized (lines) {
                lines.forEach((id, q) -> items.add(new CartItem(id, q)));
            }
        }
        return new Cart(userId, items);
    }

    @Override
    public void emptyCart(String userId) {
        carts.remove(userId);
    }
}

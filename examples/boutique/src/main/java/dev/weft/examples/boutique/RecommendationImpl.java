package dev.weft.examples.boutique;

import dev.weft.examples.boutique.Model.Product;
import dev.weft.examples.boutique.Services.ProductCatalog;
import dev.weft.examples.boutique.Services.Recommendation;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Up to five products the user is not looking at, preferring those sharing a category with them; the order among
 * equals is a per-user hash, so a user sees stable recommendations.
 */
final class RecommendationImpl implements Recommendation {

    static final int MAX = 5;

    private final ProductCatalog catalog;

    RecommendationImpl(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public List<String> listRecommendations(String userId, List<String> productIds) {
        List<Product> all = catalog.listProducts();
        Set<String> given = Set.copyOf(productIds);
        Set<String> categories = new java.util.HashSet<>();
        for (Product p : all) {
            if (given.contains(p.id())) {
                categories.addAll(p.categories());
            }
        }
        return all.stream()
                .filter(p -> !given.contains(p.id()))
                .sorted(Comparator.comparingInt(
                                (Product p) -> p.categories().stream().anyMatch(categories::contains) ? 0 : 1)
                        .thenComparingInt(p -> (userId + p.id()).hashCode()))
                .limit(MAX)
                .map(Product::id)
                .toList();
    }
}

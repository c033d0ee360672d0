package dev.weft.examples.boutique;

import dev.weft.examples.boutique.Model.Money;
import dev.weft.examples.boutique.Model.Product;
import dev.weft.examples.boutique.Services.ProductCatalog;
import java.util.List;
import java.util.Locale;

/** The catalog of Online Boutique's nine products (prices in US dollars). */
final class CatalogImpl implements ProductCatalog {

    static final List<Product> PRODUCTS = List.of(
            product(
                    "OLJCESPC7Z",
                    "Sunglasses",
                    "Add a modern touch to your outfits with these sleek aviator sunglasses.",
                    19,
                    990_000_000,
                    "accessories"),
            product(
                    "66VCHSJNUP",
                    "Tank Top",
                    "Perfectly cropped cotton tank, with a scooped neckline.",
                    18,
                    990_000_000,
                    "clothing",
                    "tops"),
            product(
                    "1YMWWN1N4O",
                    "Watch",
                    "This gold-tone stainless steel watch will work with most of your outfits.",
                    109,
                    990_000_000,
                    "accessories"),
            product("L9ECAV7KIM", "Loafers", "A neat addition to your summer wardrobe.", 89, 990_000_000, "footwear"),
            product(
                    "2ZYFJ3GM2N",
                    "Hairdryer",
                    "This lightweight hairdryer has 3 heat and speed settings. It's perfect " + "for travel.",
                    24,
                    990_000_000,
                    "hair",
                    "beauty"),
            product(
                    "0PUK6V6EV0",
                    "Candle Holder",
                    "This small but intricate candle holder is an excellent gift.",
                    18,
                    990_000_000,
                    "decor",
                    "home"),
            product(
                    "LS4PSXUNUM",
                    "Salt & Pepper Shakers",
                    "Add some flavor to your kitchen.",
                    18,
                    490_000_000,
                    "kitchen"),
            product(
                    "9SIQT8TOJO",
                    "Bamboo Glass Jar",
                    "This bamboo glass jar can hold 57 oz (1.7 l) and is perfect for " + "any kitchen.",
                    5,
                    490_000_000,
                    "kitchen"),
            product("6E92ZMYYFZ", "Mug", "A simple mug with a mustard interior.", 8, 990_000_000, "kitchen"));

    private static Product product(
            String id, String name, String description, long units, int nanos, String... categories) {
        return new Product(
                id,
                name,
                description,
                "/static/img/products/" + name.toLowerCase(Locale.ROOT).replace(' ', '-') + ".jpg",
                Money.of("USD", units, nanos),
                List.of(categories));
    }

    @Override
    public List<Product> listProducts() {
        return PRODUCTS;
    }

    @Override
    public Product getProduct(String id) {
        for (Product p : PRODUCTS) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no product with id '" + id + "'");
    }

    @Override
    public List<Product> searchProducts(String query) {
        String q = query.toLowerCase(Locale.ROOT);
        return PRODUCTS.stream()
                .filter(p -> p.name().toLowerCase(Locale.ROOT).contains(q)
                        || p.description().toLowerCase(Locale.ROOT).contains(q))
                .toList();
    }
}

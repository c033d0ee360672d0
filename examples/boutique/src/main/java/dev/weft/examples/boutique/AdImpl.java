package dev.weft.examples.boutique;

import dev.weft.examples.boutique.Model.Ad;
import dev.weft.examples.boutique.Services.AdService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Adverts by category (Online Boutique's set); without a matching context, one per category in turn. */
final class AdImpl implements AdService {

    private static final Map<String, List<Ad>> BY_CATEGORY = Map.of(
            "clothing", List.of(new Ad("/product/66VCHSJNUP", "Tank top for sale. 20% off.")),
            "accessories", List.of(new Ad("/product/1YMWWN1N4O", "Watch for sale. Buy one, get second kit for free")),
            "footwear", List.of(new Ad("/product/L9ECAV7KIM", "Loafers for sale. Buy one, get second one for free")),
            "hair", List.of(new Ad("/product/2ZYFJ3GM2N", "Hairdryer for sale. 50% off.")),
            "decor", List.of(new Ad("/product/0PUK6V6EV0", "Candle holder for sale. 30% off.")),
            "kitchen",
                    List.of(
                            new Ad("/product/9SIQT8TOJO", "Bamboo glass jar for sale. 10% off."),
                            new Ad("/product/6E92ZMYYFZ", "Mug for sale. Buy two, get the third one for free")));
    private static final List<String> ORDER =
            List.of("clothing", "accessories", "footwear", "hair", "decor", "kitchen");

    private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public List<Ad> getAds(List<String> contextKeys) {
        List<Ad> out = new ArrayList<>();
        for (String key : contextKeys) {
            out.addAll(BY_CATEGORY.getOrDefault(key, List.of()));
        }
        if (out.isEmpty()) {
            out.addAll(BY_CATEGORY.get(ORDER.get(Math.floorMod(turn.getAndIncrement(), ORDER.size()))));
        }
        return List.copyOf(out);
    }
}

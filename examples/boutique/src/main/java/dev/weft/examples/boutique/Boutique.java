package dev.weft.examples.boutique;

import dev.weft.agent.WeftApp;
import dev.weft.examples.boutique.Services.AdService;
import dev.weft.examples.boutique.Services.CartService;
import dev.weft.examples.boutique.Services.Checkout;
import dev.weft.examples.boutique.Services.Currency;
import dev.weft.examples.boutique.Services.Email;
import dev.weft.examples.boutique.Services.Frontend;
import dev.weft.examples.boutique.Services.Payment;
import dev.weft.examples.boutique.Services.ProductCatalog;
import dev.weft.examples.boutique.Services.Recommendation;
import dev.weft.examples.boutique.Services.Shipping;
import java.time.Clock;

/** The boutique's components and how each is built from the ones it calls. */
public final class Boutique {

    /** The application's name, as registered with the control plane. */
    public static final String NAME = "boutique";

    private Boutique() {}

    public static WeftApp app(Clock clock) {
        return app(clock, NAME);
    }

    /**
     * The same components under another application name: one machine can then run the boutique as several
     * applications of one control plane at once (the paper's experiment in bench/ places each its own way).
     */
    public static WeftApp app(Clock clock, String name) {
        return WeftApp.builder(name)
                .component(ProductCatalog.class, c -> new CatalogImpl())
                .component(Currency.class, c -> new CurrencyImpl())
                .component(CartService.class, c -> new CartImpl(c.get(ProductCatalog.class)))
                .component(Shipping.class, c -> new ShippingImpl())
                .component(Payment.class, c -> new PaymentImpl(clock))
                .component(Email.class, c -> new EmailImpl())
                .component(Recommendation.class, c -> new RecommendationImpl(c.get(ProductCatalog.class)))
                .component(AdService.class, c -> new AdImpl())
                .component(
                        Checkout.class,
                        c -> new CheckoutImpl(
                                c.get(CartService.class),
                                c.get(ProductCatalog.class),
                                c.get(Currency.class),
                                c.get(Shipping.class),
                                c.get(Payment.class),
                                c.get(Email.class)))
                .component(
                        Frontend.class,
                        c -> new FrontendImpl(
                                c.get(ProductCatalog.class),
                                c.get(Currency.class),
                                c.get(CartService.class),
                                c.get(Recommendation.class),
                                c.get(Shipping.class),
                                c.get(Checkout.class),
                                c.get(AdService.class)))
                .build();
    }
}

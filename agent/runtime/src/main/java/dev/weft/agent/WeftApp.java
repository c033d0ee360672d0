package dev.weft.agent;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The components of one application and how to make each: an interface annotated {@link WeftComponent} and a
 * factory that builds its implementation from the {@link Components} it calls.
 *
 * <pre>{@code
 * WeftApp app = WeftApp.builder("boutique")
 *     .component(Cart.class, c -> new CartImpl())
 *     .component(Checkout.class, c -> new CheckoutImpl(c.get(Cart.class), c.get(Payment.class)))
 *     .build();
 * }</pre>
 */
public final class WeftApp {

    private final String name;
    private final Map<Class<?>, Function<Components, ?>> factories;

    private WeftApp(String name, Map<Class<?>, Function<Components, ?>> factories) {
        this.name = name;
        this.factories = Map.copyOf(factories);
    }

    public static Builder builder(String application) {
        return new Builder(application);
    }

    /** The application's name. */
    public String name() {
        return name;
    }

    /** Component interfaces and their factories. */
    public Map<Class<?>, Function<Components, ?>> factories() {
        return factories;
    }

    /** Builds a {@link WeftApp}. */
    public static final class Builder {
        private final String name;
        private final Map<Class<?>, Function<Components, ?>> factories = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = requireNonNull(name, "application is null");
        }

        /** Registers a component: its interface and a factory for its implementation. */
        public <T> Builder component(Class<T> api, Function<Components, ? extends T> factory) {
            requireNonNull(api, "api is null");
            requireNonNull(factory, "factory is null");
            if (!api.isInterface() || api.getAnnotation(WeftComponent.class) == null) {
                throw new IllegalArgumentException(api.getName() + " is not an interface annotated @WeftComponent");
            }
            if (factories.putIfAbsent(api, factory) != null) {
                throw new IllegalArgumentException(api.getName() + " is registered twice");
            }
            return this;
        }

        public WeftApp build() {
            if (factories.isEmpty()) {
                throw new IllegalArgumentException("application '" + name + "' has no components");
            }
            return new WeftApp(name, factories);
        }
    }
}

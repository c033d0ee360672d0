package dev.weft.bench.codec;

import dev.weft.agent.Weft;
import dev.weft.agent.WeftRuntime;
import dev.weft.bench.codec.proto.PCart;
import dev.weft.bench.codec.proto.PCartItem;
import dev.weft.bench.codec.proto.PConvertRequest;
import dev.weft.bench.codec.proto.PGetCart;
import dev.weft.bench.codec.proto.PListRequest;
import dev.weft.bench.codec.proto.PMoney;
import dev.weft.bench.codec.proto.PProduct;
import dev.weft.bench.codec.proto.PProducts;
import dev.weft.examples.boutique.Boutique;
import dev.weft.examples.boutique.Model.Cart;
import dev.weft.examples.boutique.Model.CartItem;
import dev.weft.examples.boutique.Model.Money;
import dev.weft.examples.boutique.Model.Product;
import dev.weft.examples.boutique.Services;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The three calls measured, with real arguments and results from the boutique, and their protobuf mappings. */
final class Payloads {

    /** One call: its arguments and parameter types, its result and return type. */
    record Case(String name, Object[] args, Type[] parameterTypes, Object result, Type returnType) {}

    final List<Case> cases = new ArrayList<>();
    final WeftRuntime shop = Weft.local(Boutique.app(Clock.systemUTC()));

    Payloads() {
        Money price = Money.of("USD", 109, 990_000_000);
        cases.add(new Case(
                "convert(Money,String) -> Money",
                new Object[] {price, "EUR"},
                new Type[] {Money.class, String.class},
                shop.get(Services.Currency.class).convert(price, "EUR"),
                Money.class));
        Services.CartService carts = shop.get(Services.CartService.class);
        for (Product p : shop.get(Services.ProductCatalog.class).listProducts()) {
            carts.addItem("user-1", new CartItem(p.id(), 1 + p.name().length() % 5));
        }
        carts.addItem("user-1", new CartItem("OLJCESPC7Z", 1));
        cases.add(new Case(
                "getCart(String) -> Cart (9 lines)",
                new Object[] {"user-1"},
                new Type[] {String.class},
                carts.getCart("user-1"),
                Cart.class));
        cases.add(new Case(
                "listProducts() -> List<Product> (9)",
                new Object[0],
                new Type[0],
                shop.get(Services.ProductCatalog.class).listProducts(),
                Services.ProductCatalog.class.getMethods()[0].getDeclaringClass() == null
                        ? List.class
                        : listOfProductType()));
    }

    private static Type listOfProductType() {
        try {
            return Services.ProductCatalog.class.getMethod("listProducts").getGenericReturnType();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    static PMoney money(Money m) {
        return PMoney.newBuilder()
                .setCurrencyCode(m.currencyCode())
                .setUnits(m.units())
                .setNanos(m.nanos())
                .build();
    }

    static Money money(PMoney m) {
        return new Money(m.getCurrencyCode(), m.getUnits(), m.getNanos());
    }

    static PProduct product(Product p) {
        return PProduct.newBuilder()
                .setId(p.id())
                .setName(p.name())
                .setDescription(p.description())
                .setPicture(p.picture())
                .setPriceUsd(money(p.priceUsd()))
                .addAllCategories(p.categories())
                .build();
    }

    static Product product(PProduct p) {
        return new Product(
                p.getId(),
                p.getName(),
                p.getDescription(),
                p.getPicture(),
                money(p.getPriceUsd()),
                p.getCategoriesList());
    }

    /** Arguments and result of a case as protobuf messages (the mapping is part of what is measured). */
    static byte[][] protoEncode(Case c) {
        return switch (c.name().substring(0, 4)) {
            case "conv" ->
                new byte[][] {
                    PConvertRequest.newBuilder()
                            .setFrom(money((Money) c.args()[0]))
                            .setToCode((String) c.args()[1])
                            .build()
                            .toByteArray(),
                    money((Money) c.result()).toByteArray()
                };
            case "getC" -> {
                Cart cart = (Cart) c.result();
                PCart.Builder pc = PCart.newBuilder().setUserId(cart.userId());
                cart.items()
                        .forEach(i -> pc.addItems(PCartItem.newBuilder()
                                .setProductId(i.productId())
                                .setQuantity(i.quantity())));
                yield new byte[][] {
                    PGetCart.newBuilder()
                            .setUserId((String) c.args()[0])
                            .build()
                            .toByteArray(),
                    pc.build().toByteArray()
                };
            }
            default -> {
                PProducts.Builder ps = PProducts.newBuilder();
                @SuppressWarnings("unchecked")
                List<Product> products = (List<Product>) c.result();
                products.forEach(p -> ps.addProducts(product(p)));
                yield new byte[][] {
                    PListRequest.getDefaultInstance().toByteArray(), ps.build().toByteArray()
                };
            }
        };
    }

    /** Decodes what {@link #protoEncode} made back into the records. */
    static Object protoDecode(Case c, byte[][] bytes) throws com.google.protobuf.InvalidProtocolBufferException {
        return switch (c.name().substring(0, 4)) {
            case "conv" -> {
                PConvertRequest r = PConvertRequest.parseFrom(bytes[0]);
                Object[] args = {money(r.getFrom()), r.getToCode()};
                yield List.of(args[0], money(PMoney.parseFrom(bytes[1])));
            }
            case "getC" -> {
                String user = PGetCart.parseFrom(bytes[0]).getUserId();
                PCart pc = PCart.parseFrom(bytes[1]);
                List<CartItem> items = new ArrayList<>();
                pc.getItemsList().forEach(i -> items.add(new CartItem(i.getProductId(), i.getQuantity())));
                yield List.of(user, new Cart(pc.getUserId(), items));
            }
            default -> {
                PListRequest.parseFrom(bytes[0]);
                List<Product> products = new ArrayList<>();
                PProducts.parseFrom(bytes[1]).getProductsList().forEach(p -> products.add(product(p)));
                yield products;
            }
        };
    }
}

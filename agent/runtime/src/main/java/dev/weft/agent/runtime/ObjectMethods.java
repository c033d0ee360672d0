package dev.weft.agent.runtime;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/** equals, hashCode and toString of component references: identity of the reference. */
final class ObjectMethods {

    private ObjectMethods() {}

    static Object invoke(Object proxy, Method method, @Nullable Object[] args, String description) {
        return switch (method.getName()) {
            case "equals" -> args != null && args.length == 1 && proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> description;
        };
    }
}

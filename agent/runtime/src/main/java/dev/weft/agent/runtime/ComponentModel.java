package dev.weft.agent.runtime;

import dev.weft.agent.Idempotent;
import dev.weft.agent.WeftComponent;
import dev.weft.agent.http.HttpIngress;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the runtime knows of one component interface: its name, its methods by id, which are idempotent. */
public final class ComponentModel {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    private final Class<?> api;
    private final String name;
    private final Map<String, Method> methods;
    private final boolean httpIngress;

    private ComponentModel(Class<?> api, String name, Map<String, Method> methods) {
        this.api = api;
        this.name = name;
        this.methods = Map.copyOf(methods);
        this.httpIngress = HttpIngress.class.isAssignableFrom(api);
    }

    /** The model of a component interface; refuses a class that is not an interface annotated @WeftComponent. */
    public static ComponentModel of(Class<?> api) {
        WeftComponent annotation = api.getAnnotation(WeftComponent.class);
        if (!api.isInterface() || annotation == null) {
            throw new IllegalArgumentException(api.getName() + " is not an interface annotated @WeftComponent");
        }
        String name = annotation.value().isEmpty() ? kebab(api.getSimpleName()) : annotation.value();
        if (!DNS_LABEL.matcher(name).matches()) {
            throw new IllegalArgumentException("component name '" + name + "' of " + api.getName()
                    + " is not a DNS label (1-63 of a-z 0-9 -, starting with a letter)");
        }
        Map<String, Method> methods = new TreeMap<>();
        for (Method method : api.getMethods()) {
            if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            methods.put(methodId(method), method);
        }
        return new ComponentModel(api, name, methods);
    }

    /** {@code ProductCatalog} to {@code product-catalog}. */
    public static String kebab(String simpleName) {
        return simpleName
                .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
                .toLowerCase(java.util.Locale.ROOT);
    }

    /** The wire id of a method: its name and its parameter types' simple names, e.g. {@code add(String,Item)}. */
    public static String methodId(Method method) {
        return method.getName()
                + Arrays.stream(method.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(",", "(", ")"));
    }

    public Class<?> api() {
        return api;
    }

    public String name() {
        return name;
    }

    /** Methods by id. */
    public Map<String, Method> methods() {
        return methods;
    }

    public boolean isIdempotent(Method method) {
        return method.isAnnotationPresent(Idempotent.class);
    }

    /** True if the component serves HTTP through the agent's ingress. */
    public boolean httpIngress() {
        return httpIngress;
    }
}

package dev.weft.agent.runtime;

import static java.util.Objects.requireNonNull;

import dev.weft.agent.Components;
import dev.weft.agent.WeftApp;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One process's view of an application version: which components it hosts (their implementations, built once),
 * and a reference for every component interface, local for hosted ones and remote for the others.
 */
public final class Engine implements Components, AutoCloseable {

    /** One local call in this many is encoded to estimate the bytes a remote call would carry. */
    public static final int LOCAL_SIZE_SAMPLE = 64;

    private final String application;
    private final String version;
    private final Map<Class<?>, ComponentModel> models;
    private final Map<String, ComponentModel> byName;
    private final Map<Class<?>, Function<Components, ?>> factories;
    private final Set<String> hosted;
    private final Map<String, Object> implementations = new HashMap<>();
    private final Set<String> creating = new HashSet<>();
    private final Map<Class<?>, Object> references = new ConcurrentHashMap<>();
    private final Meters meters = new Meters();
    private final PayloadCodec codec;
    private final @Nullable Remote remote;

    /** What a process needs to call components it does not host. */
    public record Remote(Router router, ChannelPool channels, long defaultDeadlineMillis) {
        public Remote {
            requireNonNull(router, "router is null");
            requireNonNull(channels, "channels is null");
        }
    }

    /**
     * @param hosted the names of the components this process hosts; null hosts all of them
     * @param remote how to reach the others; null when every component is hosted
     */
    public Engine(WeftApp app, String version, @Nullable Collection<String> hosted, @Nullable Remote remote) {
        this(app.name(), version, app.factories(), hosted, remote);
    }

    public Engine(
            String application,
            String version,
            Map<Class<?>, Function<Components, ?>> factories,
            @Nullable Collection<String> hosted,
            @Nullable Remote remote) {
        this.application = requireNonNull(application, "application is null");
        this.version = requireNonNull(version, "version is null");
        this.factories = Map.copyOf(factories);
        Map<Class<?>, ComponentModel> models = new LinkedHashMap<>();
        Map<String, ComponentModel> byName = new HashMap<>();
        for (Class<?> api : factories.keySet()) {
            ComponentModel model = ComponentModel.of(api);
            ComponentModel clash = byName.putIfAbsent(model.name(), model);
            if (clash != null) {
                throw new IllegalArgumentException("component name '" + model.name() + "' is used by both "
                        + clash.api().getName() + " and " + api.getName());
            }
            models.put(api, model);
        }
        this.models = Map.copyOf(models);
        this.byName = Map.copyOf(byName);
        Set<String> hostedNames = hosted == null ? byName.keySet() : Set.copyOf(hosted);
        for (String name : hostedNames) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("application '" + application + "' has no component '" + name
                        + "' (it has " + new java.util.TreeSet<>(byName.keySet()) + ")");
            }
        }
        this.hosted = Set.copyOf(hostedNames);
        this.remote = remote;
        ClassLoader loader = factories.keySet().iterator().next().getClassLoader();
        this.codec = new ForyCodec(models.keySet(), loader == null ? ClassLoader.getSystemClassLoader() : loader);
    }

    /** Builds every hosted component's implementation now (in name order), so a broken one fails the start. */
    public void start() {
        for (String name : new java.util.TreeSet<>(hosted)) {
            implementation(name);
        }
    }

    public String application() {
        return application;
    }

    public String version() {
        return version;
    }

    public Set<String> hosted() {
        return hosted;
    }

    public Collection<ComponentModel> models() {
        return models.values();
    }

    public @Nullable ComponentModel model(String name) {
        return byName.get(name);
    }

    public Meters meters() {
        return meters;
    }

    public PayloadCodec codec() {
        return codec;
    }

    @Override
    public <T> T get(Class<T> api) {
        ComponentModel model = models.get(api);
        if (model == null) {
            throw new IllegalArgumentException(
                    api.getName() + " is not a component of application '" + application + "'");
        }
        return api.cast(references.computeIfAbsent(api, a -> newReference(model)));
    }

    private Object newReference(ComponentModel model) {
        java.lang.reflect.InvocationHandler handler;
        if (hosted.contains(model.name())) {
            handler = new LocalHandler(this, model);
        } else if (remote != null) {
            handler = new RemoteHandler(this, model, remote);
        } else {
            handler = (proxy, method, args) -> {
                if (method.getDeclaringClass() == Object.class) {
                    return ObjectMethods.invoke(proxy, method, args, "weft-unreachable:" + model.name());
                }
                throw new dev.weft.agent.CallFailedException("component '" + model.name()
                        + "' is not hosted in this process, and this process has no routing table");
            };
        }
        return Proxy.newProxyInstance(model.api().getClassLoader(), new Class<?>[] {model.api()}, handler);
    }

    /** The implementation of a hosted component, built on first use. */
    Object implementation(String name) {
        synchronized (implementations) {
            Object existing = implementations.get(name);
            if (existing != null) {
                return existing;
            }
            if (!creating.add(name)) {
                throw new IllegalStateException("component '" + name + "' calls itself while it is being built: "
                        + "take references in the constructor, call them later");
            }
            try {
                ComponentModel model = requireNonNull(byName.get(name), name);
                Object built = requireNonNull(factories.get(model.api()), name).apply(this);
                if (!model.api().isInstance(built)) {
                    throw new IllegalStateException("the factory of '" + name + "' made a " + built.getClass()
                            + ", not a " + model.api().getName());
                }
                implementations.put(name, built);
                return built;
            } finally {
                creating.remove(name);
            }
        }
    }

    /** The implementations built so far, for those that need closing. */
    List<Object> implementations() {
        synchronized (implementations) {
            return new ArrayList<>(implementations.values());
        }
    }

    @Override
    public void close() {
        for (Object implementation : implementations()) {
            if (implementation instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.getLogger(Engine.class.getName())
                            .log(System.Logger.Level.WARNING, "closing a component failed", e);
                }
            }
        }
    }
}

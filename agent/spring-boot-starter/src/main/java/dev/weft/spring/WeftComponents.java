package dev.weft.spring;

import dev.weft.agent.Components;
import dev.weft.agent.WeftComponent;
import dev.weft.agent.runtime.Engine;
import dev.weft.agent.runtime.ReplicaConfig;
import dev.weft.agent.runtime.ReplicaRuntime;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Finds the beans that implement {@code @WeftComponent} interfaces. When the process is not a replica (no
 * {@code weft.replica.id} property) it changes nothing. As a replica, each such bean is injected as a reference
 * that calls the bean itself when its component is hosted here (measured, same objects) and a replica of the same
 * version elsewhere when not; the hosted components are served to other replicas once every bean exists.
 */
public final class WeftComponents implements BeanPostProcessor, SmartInitializingSingleton, DisposableBean {

    private static final String[] KEYS = {
        "id", "application", "version", "components", "supervisor", "token", "deadline-millis", "exit-on-detach"
    };

    private final @Nullable ReplicaConfig replica;
    private final Map<Class<?>, Object> beans = new LinkedHashMap<>();
    private volatile @Nullable ReplicaRuntime runtime;

    WeftComponents(Environment environment) {
        this.replica = replicaConfig(environment).orElse(null);
    }

    static Optional<ReplicaConfig> replicaConfig(Environment environment) {
        List<String> args = new ArrayList<>();
        for (String key : KEYS) {
            String value = environment.getProperty("weft.replica." + key);
            if (value != null) {
                args.add(ReplicaConfig.PREFIX + key + "=" + value);
            }
        }
        return ReplicaConfig.fromArgs(args.toArray(String[]::new));
    }

    /** True when an agent started this app as a replica. */
    public boolean isReplica() {
        return replica != null;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (replica == null) {
            return bean;
        }
        List<Class<?>> apis = new ArrayList<>();
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(AopUtils.getTargetClass(bean))) {
            if (type.isAnnotationPresent(WeftComponent.class)) {
                apis.add(type);
            }
        }
        if (apis.isEmpty()) {
            return bean;
        }
        for (Class<?> api : apis) {
            beans.put(api, bean);
        }
        return Proxy.newProxyInstance(
                bean.getClass().getClassLoader(), apis.toArray(Class<?>[]::new), (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(bean, args);
                    }
                    Object target = started().get(method.getDeclaringClass());
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Components started() {
        ReplicaRuntime r = runtime;
        if (r == null) {
            throw new IllegalStateException("Weft components are called before the application context is ready");
        }
        return r.components();
    }

    @Override
    public void afterSingletonsInstantiated() {
        ReplicaConfig config = replica;
        if (config == null) {
            return;
        }
        Map<Class<?>, Function<Components, ?>> factories = new LinkedHashMap<>();
        beans.forEach((api, bean) -> factories.put(api, c -> bean));
        runtime = ReplicaRuntime.start(
                (rc, remote) -> new Engine(rc.application(), rc.version(), factories, rc.components(), remote), config);
    }

    @Override
    public void destroy() {
        ReplicaRuntime r = runtime;
        if (r != null) {
            r.close();
        }
    }
}

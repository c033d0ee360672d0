package dev.weft.agent.runtime;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.CompatibleMode;
import org.apache.fory.config.Language;
import org.jspecify.annotations.Nullable;

/**
 * Apache Fory in Java mode, schema-consistent (both ends run one version), without reference tracking. Only the
 * types reachable from the component interfaces' signatures are accepted: they are registered in name order, so
 * two processes of one version give each the same id, and a payload naming any other class is refused (no
 * deserialization of arbitrary classes from the network).
 */
public final class ForyCodec implements PayloadCodec {

    /** Wire name; the number changes if the encoding's settings ever do. */
    public static final String NAME = "fory-1";

    private final ThreadSafeFory fory;
    private final List<Class<?>> registered;

    public ForyCodec(Collection<Class<?>> componentInterfaces, ClassLoader loader) {
        this.registered = reachableTypes(componentInterfaces);
        this.fory = Fory.builder()
                .withLanguage(Language.JAVA)
                .withRefTracking(false)
                .withCompatibleMode(CompatibleMode.SCHEMA_CONSISTENT)
                .requireClassRegistration(true)
                .withClassLoader(loader)
                .withAsyncCompilation(true)
                .registerGuavaTypes(false)
                .buildThreadSafeFory();
        for (Class<?> type : registered) {
            fory.register(type);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The application types this codec accepts, in registration order. */
    public List<Class<?>> registeredTypes() {
        return registered;
    }

    @Override
    public byte[] encodeArgs(@Nullable Object[] args) {
        return fory.serialize(args == null ? new Object[0] : args);
    }

    @Override
    public @Nullable Object[] decodeArgs(byte[] bytes) {
        return (@Nullable Object[]) fory.deserialize(bytes);
    }

    @Override
    public byte[] encodeResult(@Nullable Object result) {
        return fory.serialize(result);
    }

    @Override
    public @Nullable Object decodeResult(byte[] bytes) {
        return fory.deserialize(bytes);
    }

    static List<Class<?>> reachableTypes(Collection<Class<?>> interfaces) {
        Set<Class<?>> found = new TreeSet<>(Comparator.comparing(Class::getName));
        Set<Type> seen = new HashSet<>();
        for (Class<?> api : interfaces) {
            for (Method method : api.getMethods()) {
                if (method.getDeclaringClass() == Object.class) {
                    continue;
                }
                walk(method.getGenericReturnType(), found, seen);
                for (Type parameter : method.getGenericParameterTypes()) {
                    walk(parameter, found, seen);
                }
            }
        }
        return List.copyOf(found);
    }

    private static void walk(Type type, Set<Class<?>> found, Set<Type> seen) {
        if (!seen.add(type)) {
            return;
        }
        switch (type) {
            case ParameterizedType parameterized -> {
                walk(parameterized.getRawType(), found, seen);
                for (Type argument : parameterized.getActualTypeArguments()) {
                    walk(argument, found, seen);
                }
            }
            case GenericArrayType array -> walk(array.getGenericComponentType(), found, seen);
            case WildcardType wildcard -> {
                for (Type bound : wildcard.getUpperBounds()) {
                    walk(bound, found, seen);
                }
            }
            case TypeVariable<?> variable -> {
                for (Type bound : variable.getBounds()) {
                    walk(bound, found, seen);
                }
            }
            case Class<?> cls -> walkClass(cls, found, seen);
            default -> {}
        }
    }

    private static void walkClass(Class<?> cls, Set<Class<?>> found, Set<Type> seen) {
        if (cls.isArray()) {
            walk(cls.getComponentType(), found, seen);
            return;
        }
        if (cls.isPrimitive()
                || cls.getName().startsWith("java.")
                || cls.getName().startsWith("javax.")) {
            return;
        }
        if (!cls.isInterface() && !Modifier.isAbstract(cls.getModifiers())) {
            found.add(cls);
        }
        if (cls.isRecord()) {
            for (RecordComponent component : cls.getRecordComponents()) {
                walk(component.getGenericType(), found, seen);
            }
        } else if (!cls.isEnum()) {
            for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isTransient(field.getModifiers())) {
                        walk(field.getGenericType(), found, seen);
                    }
                }
            }
        }
        if (cls.isSealed()) {
            for (Class<?> permitted : cls.getPermittedSubclasses()) {
                walk(permitted, found, seen);
            }
        }
    }
}

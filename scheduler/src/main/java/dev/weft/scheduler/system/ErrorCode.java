package dev.weft.scheduler.system;

import io.grpc.Status;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A stable, documented error code. Each feature has one enum implementing this, whose constants carry a
 * {@link Problem} annotation; the code decides the RFC 9457 problem {@code type}, the HTTP status over REST and
 * the gRPC status over gRPC.
 */
public interface ErrorCode {

    /** Base of every problem type URI; the rest is the code in kebab case. */
    String TYPE_BASE = "https://weft.dev/problems/";

    /** The code as clients see it, e.g. {@code VERSION_NOT_FOUND} (an enum constant's name). */
    String name();

    /** The enum this code belongs to (implemented by every enum). */
    Class<?> getDeclaringClass();

    default HttpStatus httpStatus() {
        return problem().http();
    }

    default Status.Code grpcStatus() {
        return problem().grpc();
    }

    /** A short, human-readable summary that does not change from one occurrence to the next. */
    default String title() {
        return problem().title();
    }

    default URI type() {
        return URI.create(TYPE_BASE + name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** The gRPC status a client sees for this error, with a message naming the problem. */
    default Status status(String message) {
        return Status.fromCode(grpcStatus()).withDescription(message);
    }

    private Problem problem() {
        return Problems.of(this);
    }

    /** The {@link Problem} annotations of each error-code enum, read once per enum. */
    final class Problems {

        private static final ClassValue<Map<String, Problem>> BY_ENUM = new ClassValue<>() {
            @Override
            protected Map<String, Problem> computeValue(Class<?> type) {
                Map<String, Problem> problems = new HashMap<>();
                for (Field field : type.getFields()) {
                    Problem problem = field.getAnnotation(Problem.class);
                    if (field.isEnumConstant() && problem != null) {
                        problems.put(field.getName(), problem);
                    }
                }
                return Map.copyOf(problems);
            }
        };

        private Problems() {}

        static Problem of(ErrorCode code) {
            Problem problem = BY_ENUM.get(code.getDeclaringClass()).get(code.name());
            if (problem == null) {
                throw new IllegalStateException(
                        code.getDeclaringClass().getSimpleName() + "." + code.name() + " has no @Problem annotation");
            }
            return problem;
        }
    }
}

package dev.weft.scheduler.system;

import io.grpc.Status;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.http.HttpStatus;

/**
 * How clients see one constant of an {@link ErrorCode} enum: the HTTP status over REST, the gRPC status over
 * gRPC and the problem's title. Every constant of every error-code enum carries one (a test checks it), so
 * an enum of error codes is a list of annotated constants and nothing else.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Problem {

    /** The HTTP status of the RFC 9457 problem. */
    HttpStatus http();

    /** The gRPC status code an agent or other gRPC client sees. */
    Status.Code grpc();

    /** A short, human-readable summary that does not change from one occurrence to the next. */
    String title();
}

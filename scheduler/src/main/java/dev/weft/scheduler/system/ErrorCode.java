package dev.weft.scheduler.system;

import io.grpc.Status;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * A stable, documented error code. Each feature has one enum implementing this; the code decides the
 * RFC 9457 problem {@code type}, the HTTP status over REST and the gRPC status over gRPC.
 */
public interface ErrorCode {

    /** Base of every problem type URI; the rest is the code in kebab case. */
    String TYPE_BASE = "https://weft.dev/problems/";

    String name();

    HttpStatus httpStatus();

    Status.Code grpcStatus();

    /** A short, human-readable summary that does not change from one occurrence to the next. */
    String title();

    default URI type() {
        return URI.create(TYPE_BASE + name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
}

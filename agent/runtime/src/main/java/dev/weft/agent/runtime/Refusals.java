package dev.weft.agent.runtime;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.jspecify.annotations.Nullable;

/**
 * A call refused before it ran carries the trailer {@code weft-refused} (its reason: {@code draining},
 * {@code unknown-replica}, {@code not-hosted}, {@code starting}): the caller may send it to another replica even
 * if the method is not idempotent, because it was not executed.
 */
public final class Refusals {

    public static final Metadata.Key<String> REFUSED =
            Metadata.Key.of("weft-refused", Metadata.ASCII_STRING_MARSHALLER);

    private Refusals() {}

    /** A refusal: the status, with the reason in the trailer. */
    public static StatusException refuse(Status status, String reason) {
        Metadata trailers = new Metadata();
        trailers.put(REFUSED, reason);
        return status.asException(trailers);
    }

    /** The refusal reason of a failed call, or null if the call may have run. */
    public static @Nullable String reason(StatusRuntimeException e) {
        Metadata trailers = e.getTrailers();
        return trailers == null ? null : trailers.get(REFUSED);
    }
}

package dev.weft.agent.runtime;

import org.jspecify.annotations.Nullable;

/** Encodes a call's arguments and its result. Both ends of a call run the same version, hence the same types. */
public interface PayloadCodec {

    /** The codec's wire name, sent in every call (CallRequest.codec). */
    String name();

    byte[] encodeArgs(@Nullable Object[] args);

    @Nullable
    Object[] decodeArgs(byte[] bytes);

    byte[] encodeResult(@Nullable Object result);

    @Nullable
    Object decodeResult(byte[] bytes);
}

/**
 * The call codec and transport benchmarks: Apache Fory (the runtime's codec) against Kryo, Jackson Smile and
 * protobuf on the boutique's payloads, and a Weft remote call against a plain gRPC + protobuf call.
 */
@NullMarked
package dev.weft.bench.codec;

import org.jspecify.annotations.NullMarked;

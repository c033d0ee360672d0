/** Replica start time and memory: each replica in its own JVM against each in its own class loader. */
@NullMarked
package dev.weft.bench.replica;

import org.jspecify.annotations.NullMarked;

/** Benchmarks and load generators. Each prints a table; results live in {@code bench/RESULTS.md}. */
@NullMarked
package dev.weft.bench;

import org.jspecify.annotations.NullMarked;

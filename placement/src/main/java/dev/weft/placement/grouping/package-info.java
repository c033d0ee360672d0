/**
 * Grouping: which components share a process. An exact set-partition search for small inputs and a
 * multilevel merge-and-refine heuristic for large ones, both over the same {@link dev.weft.placement.grouping.Graph}.
 */
@NullMarked
package dev.weft.placement.grouping;

import org.jspecify.annotations.NullMarked;

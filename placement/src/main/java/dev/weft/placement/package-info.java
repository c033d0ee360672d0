/** Colocation planning: which components share a process, how many replicas, on which agent. */
@NullMarked
package dev.weft.placement;

import org.jspecify.annotations.NullMarked;

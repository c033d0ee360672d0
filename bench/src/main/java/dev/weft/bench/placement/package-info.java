/** Placement benchmark: plan time, cost versus baselines and the exact optimum, peak heap. */
@NullMarked
package dev.weft.bench.placement;

import org.jspecify.annotations.NullMarked;

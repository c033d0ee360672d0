/** Simulations of the scheduling loop's policy (re-plan triggers, hysteresis, stability) over long stretches of time. */
@NullMarked
package dev.weft.bench.loop;

import org.jspecify.annotations.NullMarked;

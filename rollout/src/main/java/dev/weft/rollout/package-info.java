/** Atomic versioned rollouts: the state machine, step policy, health gates and version-isolation rules. */
@NullMarked
package dev.weft.rollout;

import org.jspecify.annotations.NullMarked;

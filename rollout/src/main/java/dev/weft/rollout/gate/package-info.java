/**
 * Health gates: what a rollout step checks, the load figures of both versions over one interval, and the
 * readings that say whether the new version passes, fails, or has not yet shown enough traffic to tell.
 */
@NullMarked
package dev.weft.rollout.gate;

import org.jspecify.annotations.NullMarked;

/**
 * Rollouts: an application moves from the version it serves to a new one step by step, every step gated on the new
 * version measured against the old over the same interval, reversible, with no call crossing versions. The rules are
 * the {@code rollout} library's; this feature persists each rollout's state in PostgreSQL, drives it on the leader
 * (observing placement, load, violations and in-flight requests), carries out its actions through
 * {@link dev.weft.scheduler.deployments.Deployments}, and serves {@code /api/v1/applications/{app}/rollouts}.
 */
@NullMarked
package dev.weft.scheduler.rollouts;

import org.jspecify.annotations.NullMarked;

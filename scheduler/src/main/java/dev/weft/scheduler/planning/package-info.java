/**
 * Planning: the control loop that keeps deployed versions placed. It turns the registry, the agents and the
 * measured load into a {@code placement} {@code Problem} ({@link dev.weft.scheduler.planning.ProblemBuilder}),
 * re-plans a version when it is deployed, its load moved, agents came or went, or an operator asks, stores every
 * computed plan as a numbered generation with what it was computed from and the decision taken, applies a new plan
 * only when it beats the running one by the hysteresis margin or the running one became invalid, and hands the
 * applied replicas to {@link dev.weft.scheduler.push.Push}. Settings are {@code weft.planner.*}; other features use
 * {@link dev.weft.scheduler.planning.Planning}.
 */
@NullMarked
package dev.weft.scheduler.planning;

import org.jspecify.annotations.NullMarked;

/**
 * Version violations: calls that crossed from one version of an application into another, which Weft promises never
 * happen. Agents report the calls they refused ({@code ViolationReport}); a load report that lists an edge between
 * two versions is evidence of such calls too. Both are stored, logged as {@code VERSION_VIOLATION} events, counted in
 * {@code weft.agents.violations}, roll back a rollout in flight, and are served per application at
 * {@code GET /api/v1/applications/{app}/violations}.
 */
@NullMarked
package dev.weft.scheduler.violations;

import org.jspecify.annotations.NullMarked;

/**
 * Per-version routing: the ingress weights of an application, the sticky and monotone choice of a version
 * for a request, and the isolation rules that keep every call inside the version it entered.
 */
@NullMarked
package dev.weft.rollout.routing;

import org.jspecify.annotations.NullMarked;

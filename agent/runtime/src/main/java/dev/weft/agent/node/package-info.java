/**
 * The runnable agent: its link to the control plane (weft.agent.v1), the reconciler that starts and stops
 * replicas to match its assignments, the supervisor link to those replicas, the forwarder of calls to them, the
 * aggregation of their measurements into load reports, and the HTTP ingress.
 */
@NullMarked
package dev.weft.agent.node;

import org.jspecify.annotations.NullMarked;

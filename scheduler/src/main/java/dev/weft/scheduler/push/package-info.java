/**
 * Push: what agents are told. Applying a plan (in its transaction) hands this feature a version's replicas;
 * it keeps each agent's full desired {@code AssignmentSet}, each version's {@code RoutingTable} and each
 * application's {@code TrafficSplit} with their generations in PostgreSQL and, once the transaction commits,
 * sends what changed to the affected agents on their streams. An agent that (re)connects gets its current state
 * at once; acknowledgements and replicas that failed to start are tracked per agent. Other features use
 * {@link dev.weft.scheduler.push.Push}.
 */
@NullMarked
package dev.weft.scheduler.push;

import org.jspecify.annotations.NullMarked;

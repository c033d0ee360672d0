/** The planner's input: components, call edges, constraints, agents, the previous plan and the cost model. */
@NullMarked
package dev.weft.placement.model;

import org.jspecify.annotations.NullMarked;

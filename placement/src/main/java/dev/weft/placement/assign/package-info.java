/** Replica placement: which agent runs each replica, with capacity, zones, pins, preference and stability. */
@NullMarked
package dev.weft.placement.assign;

import org.jspecify.annotations.NullMarked;

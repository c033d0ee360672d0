/**
 * The Service Weaver paper's experiment on this machine: the boutique under three placements through a real control
 * plane and real agents, CPU measured from the processes.
 */
@NullMarked
package dev.weft.bench.paper;

import org.jspecify.annotations.NullMarked;

/** The command-line and JSON edge of the planner: problem JSON in, plan JSON out (Jackson lives only here). */
@NullMarked
package dev.weft.placement.cli;

import org.jspecify.annotations.NullMarked;

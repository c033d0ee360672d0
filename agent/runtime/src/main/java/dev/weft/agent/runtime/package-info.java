/**
 * The runtime's machinery (not an API for applications): component models, the payload codec, local and
 * remote invocation, measurement, routing, and the replica side of the agent link.
 */
@NullMarked
package dev.weft.agent.runtime;

import org.jspecify.annotations.NullMarked;

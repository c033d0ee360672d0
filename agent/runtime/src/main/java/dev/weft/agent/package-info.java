/**
 * Weft's programming model: components are plain Java interfaces ({@link dev.weft.agent.WeftComponent}) with
 * implementations registered in a {@link dev.weft.agent.WeftApp}; a component reaches the components it calls
 * through {@link dev.weft.agent.Components} and never knows whether a call is local or remote.
 */
@NullMarked
package dev.weft.agent;

import org.jspecify.annotations.NullMarked;

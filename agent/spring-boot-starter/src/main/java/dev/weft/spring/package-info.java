/**
 * The Spring Boot starter: beans implementing interfaces annotated {@link dev.weft.agent.WeftComponent} become
 * Weft components. Run normally the app is unchanged; started by a Weft agent as a replica, the components of
 * its assignment are served to other replicas and every other component is reached remotely.
 */
@NullMarked
package dev.weft.spring;

import org.jspecify.annotations.NullMarked;

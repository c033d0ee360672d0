/**
 * The registry of applications and their immutable versions: components, declared call edges,
 * placement constraints and the artifact agents run. Other features read versions through
 * {@link dev.weft.scheduler.registry.Registry}.
 */
@NullMarked
package dev.weft.scheduler.registry;

import org.jspecify.annotations.NullMarked;

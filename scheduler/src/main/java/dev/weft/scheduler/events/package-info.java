/** The audit log: an append-only record of what happened to applications, versions and agents. */
@NullMarked
package dev.weft.scheduler.events;

import org.jspecify.annotations.NullMarked;

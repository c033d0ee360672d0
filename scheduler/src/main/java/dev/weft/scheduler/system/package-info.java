/**
 * Cross-cutting plumbing shared by every feature: the database (embedded or external), error codes
 * mapped to RFC 9457 problems, and paging.
 */
@NullMarked
package dev.weft.scheduler.system;

import org.jspecify.annotations.NullMarked;

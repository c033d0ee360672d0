/**
 * The admin dashboard served at {@code /}: its sign-in page and its pages, which read and act through the same
 * REST API as every other client, with the session's CSRF token.
 */
@NullMarked
package dev.weft.scheduler.dashboard;

import org.jspecify.annotations.NullMarked;

/**
 * Who may do what: operator API tokens and password accounts, their roles ({@link Role}), and the one rule
 * ({@link AccessPolicy}) that decides which role each REST request needs.
 */
@NullMarked
package dev.weft.scheduler.security;

import org.jspecify.annotations.NullMarked;

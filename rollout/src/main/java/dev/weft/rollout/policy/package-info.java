/**
 * Rollout policies: steps, gates and limits; the named presets; validation of an inline policy with errors
 * that name the field by its JSON path; and the duration and percent notations of the REST API.
 */
@NullMarked
package dev.weft.rollout.policy;

import org.jspecify.annotations.NullMarked;

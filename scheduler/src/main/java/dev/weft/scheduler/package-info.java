/** The Spring Boot control plane; each sub-package is one feature (registry, agents, load, ...). */
@NullMarked
package dev.weft.scheduler;

import org.jspecify.annotations.NullMarked;

/** Wire contracts of Weft: the agent protocol, generated from the {@code .proto} files in this module. */
@NullMarked
package dev.weft.api;

import org.jspecify.annotations.NullMarked;

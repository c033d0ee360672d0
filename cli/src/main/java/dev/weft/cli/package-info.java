/** The {@code weft} command-line client of the control plane's REST API. */
@NullMarked
package dev.weft.cli;

import org.jspecify.annotations.NullMarked;

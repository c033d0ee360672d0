/** A load generator with Online Boutique's task mix. */
@NullMarked
package dev.weft.examples.boutique.load;

import org.jspecify.annotations.NullMarked;

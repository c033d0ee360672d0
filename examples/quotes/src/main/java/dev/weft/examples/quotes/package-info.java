/** Parcel quotes: a web controller over a quote service that prices shipments with a rate service. */
@NullMarked
package dev.weft.examples.quotes;

import org.jspecify.annotations.NullMarked;

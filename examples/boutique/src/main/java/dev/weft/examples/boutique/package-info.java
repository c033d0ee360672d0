/**
 * An online shop in ten Weft components, after Google's Online Boutique: frontend (HTTP), cart, product catalog,
 * currency, shipping, checkout, payment, email, recommendation and ad.
 */
@NullMarked
package dev.weft.examples.boutique;

import org.jspecify.annotations.NullMarked;

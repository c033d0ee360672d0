/**
 * The one-command demo: a control plane, three agents and the boutique under load, re-planned from its measured
 * load and rolled out from v1 to v2 (README, "Demo").
 */
@NullMarked
package dev.weft.examples.demo;

import org.jspecify.annotations.NullMarked;

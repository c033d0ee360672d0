/**
 * A load generator for agent ingestion: many simulated agents over real gRPC streams, each sending a
 * load report per second, with a table of what the control plane sustained.
 */
@NullMarked
package dev.weft.bench.loadgen;

import org.jspecify.annotations.NullMarked;

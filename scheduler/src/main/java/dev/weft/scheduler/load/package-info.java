/**
 * Load ingestion: agents' reports aggregated into time buckets per (version, component) and per
 * (version, edge), written to PostgreSQL in batches, and read back as rates over a window.
 * Other features hand reports in through {@link dev.weft.scheduler.load.LoadSink}.
 */
@NullMarked
package dev.weft.scheduler.load;

import org.jspecify.annotations.NullMarked;

/**
 * Load ingestion: agents' reports aggregated into time buckets per (version, component) and per
 * (version, edge), written to PostgreSQL in batches, compacted and expired, and read back as rates over a
 * window. Other features hand reports in through {@link dev.weft.scheduler.load.LoadSink} and read load
 * through {@link dev.weft.scheduler.load.LoadQueries}; settings are {@code weft.load.*}.
 */
@NullMarked
package dev.weft.scheduler.load;

import org.jspecify.annotations.NullMarked;

/**
 * The agent registry: agents connect over the gRPC agent protocol ({@code weft.agent.v1}), authenticate
 * with a bootstrap token or their session credential, keep a lease alive and stream load, which is
 * validated here and handed to {@link dev.weft.scheduler.load.LoadSink}. Operators list, cordon, drain
 * and revoke agents over REST.
 */
@NullMarked
package dev.weft.scheduler.agents;

import org.jspecify.annotations.NullMarked;

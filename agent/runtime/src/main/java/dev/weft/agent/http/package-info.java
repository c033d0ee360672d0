/** HTTP ingress: a component that serves the application's external HTTP traffic through the agent. */
@NullMarked
package dev.weft.agent.http;

import org.jspecify.annotations.NullMarked;

package dev.weft.agent.http;

/**
 * Implemented by an ingress component's interface: the agent's HTTP entry picks a version for each request
 * (by the traffic split), then calls {@link #handle} on a replica of that version, which serves the request and
 * every call it makes within that version.
 */
public interface HttpIngress {

    /** Serves one HTTP request. */
    HttpReply handle(HttpCall request);
}

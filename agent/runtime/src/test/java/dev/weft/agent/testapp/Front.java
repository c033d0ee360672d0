package dev.weft.agent.testapp;

import dev.weft.agent.WeftComponent;
import dev.weft.agent.http.HttpIngress;

@WeftComponent("front")
public interface Front extends HttpIngress {

    /** Asks the store for an item and counts its tags. */
    int tagCount(String key);
}

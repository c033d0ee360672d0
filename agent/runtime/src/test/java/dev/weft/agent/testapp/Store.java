package dev.weft.agent.testapp;

import dev.weft.agent.Idempotent;
import dev.weft.agent.WeftComponent;
import java.util.List;

@WeftComponent("store")
public interface Store {

    @Idempotent
    Item get(String key);

    void put(Item item);

    /** Fails the first {@code times} calls of this replica, then answers. */
    String flaky(int times);

    /** Sleeps (the component's own work takes that long), then answers. */
    @Idempotent
    int slow(int millis);

    /** The same object back (identity tells a local call from a remote one). */
    Item echo(Item item);

    List<Item> all();

    /** The replica that served the call. */
    @Idempotent
    String whoAmI();
}

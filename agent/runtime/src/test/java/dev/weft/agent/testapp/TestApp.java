package dev.weft.agent.testapp;

import dev.weft.agent.Weft;
import dev.weft.agent.WeftApp;

/** A two-component application for the runtime's tests; its main is what an agent starts as a replica. */
public final class TestApp {

    private TestApp() {}

    public static WeftApp definition(String storeName) {
        return WeftApp.builder("testapp")
                .component(Store.class, c -> new StoreImpl(storeName))
                .component(Front.class, c -> new FrontImpl(c.get(Store.class)))
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        String name = "pid-" + ProcessHandle.current().pid();
        Weft.run(definition(name), args).awaitTermination();
    }
}

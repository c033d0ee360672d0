package dev.weft.agent.testapp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

final class StoreImpl implements Store {

    private final Map<String, Item> items = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final String name;

    StoreImpl(String name) {
        this.name = name;
        items.put("apple", new Item("apple", List.of("fruit", "red"), Map.of("stock", 12)));
    }

    @Override
    public Item get(String key) {
        Item item = items.get(key);
        if (item == null) {
            throw new IllegalArgumentException("no item '" + key + "'");
        }
        return item;
    }

    @Override
    public void put(Item item) {
        items.put(item.key(), item);
    }

    @Override
    public String flaky(int times) {
        if (failures.incrementAndGet() <= times) {
            throw new IllegalStateException("failure " + failures.get());
        }
        return "ok after " + times;
    }

    @Override
    public int slow(int millis) {
        try {
            Thread.sleep(millis); // the work being measured, not a wait for an event
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return millis;
    }

    @Override
    public Item echo(Item item) {
        return item;
    }

    @Override
    public List<Item> all() {
        return new ArrayList<>(items.values());
    }

    @Override
    public String whoAmI() {
        return name;
    }
}

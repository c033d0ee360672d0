package dev.weft.scheduler.cluster;

/** A subscriber's hold on a {@link Topic}; closing it stops deliveries (one already running finishes). */
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}

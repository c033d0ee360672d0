package dev.weft.scheduler.cluster;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A kind of message on the {@link ClusterBus}: a name all nodes agree on and the record its messages are, written as
 * JSON. Messages say what changed (ids), never the state itself: a notification is at most 8000 bytes, and a
 * subscriber reads the current state from the database anyway.
 *
 * @param name 1-64 of {@code a-z 0-9 . -}, starting with a letter, e.g. {@code agents.changed}
 * @param type the message record, read and written by the application's Jackson mapper
 */
public record Topic<T>(String name, Class<T> type) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9.-]{0,63}");

    public Topic {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a topic name is 1-64 of a-z 0-9 . - starting with a letter, was '" + name + "'");
        }
    }

    public static <T> Topic<T> of(String name, Class<T> type) {
        return new Topic<>(name, type);
    }
}

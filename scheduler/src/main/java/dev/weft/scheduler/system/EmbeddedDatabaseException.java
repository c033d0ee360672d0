package dev.weft.scheduler.system;

/** The embedded database cannot start, for a reason the user can fix: the message says what, {@link #action} how. */
public final class EmbeddedDatabaseException extends RuntimeException {

    private final String action;

    EmbeddedDatabaseException(String description, String action) {
        super(description);
        this.action = action;
    }

    public String action() {
        return action;
    }
}

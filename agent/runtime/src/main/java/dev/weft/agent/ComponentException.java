package dev.weft.agent;

/**
 * A remote component method threw an exception that cannot be rebuilt here as its own type; {@link #type()}
 * names it. Exceptions of unchecked types with a {@code (String)} constructor are rethrown as themselves.
 */
public class ComponentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String type;

    public ComponentException(String type, String message) {
        super(type + ": " + message);
        this.type = type;
    }

    /** The Java class name of the exception the component threw. */
    public String type() {
        return type;
    }
}

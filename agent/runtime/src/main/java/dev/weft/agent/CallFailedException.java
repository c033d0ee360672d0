package dev.weft.agent;

/**
 * A remote call did not reach a result: no replica serves the component, every replica tried refused it, or
 * its deadline passed. The message says which component, which method and why.
 */
public class CallFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CallFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public CallFailedException(String message) {
        super(message);
    }
}

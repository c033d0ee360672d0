package dev.weft.rollout;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an operator may ask of a rollout; the REST paths are {@code POST .../rollouts/{id}/<name>}. */
public enum OperatorAction {
    /** Stop progressing (placing or ramping); protection keeps running. */
    PAUSE,
    /** Continue a paused rollout where it stopped, with the hold it had left. */
    RESUME,
    /** Skip the remaining steps: 100 % to the new version now (once it is placed in full). */
    PROMOTE,
    /** Before promotion: traffic back to the old version, then the new one drained and released. */
    ABORT,
    /** After promotion, within the rollback window: the same, as a traffic switch. */
    ROLLBACK;

    /** The path segment, e.g. {@code pause}. */
    public String pathName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OperatorAction> fromPathName(String name) {
        return Arrays.stream(values()).filter(a -> a.pathName().equals(name)).findFirst();
    }
}

package dev.weft.scheduler.registry;

import org.jspecify.annotations.Nullable;

/** A pin's label selector: {@code key} matches any value of the label, {@code key=value} only that value. */
record LabelSelector(String key, @Nullable String value) {

    static @Nullable LabelSelector parse(String selector) {
        int eq = selector.indexOf('=');
        String key = eq < 0 ? selector : selector.substring(0, eq);
        String value = eq < 0 ? null : selector.substring(eq + 1);
        if (!Names.LABEL_KEY.matcher(key).matches() || key.length() > 253 + 1 + 63) {
            return null;
        }
        if (value != null && !Names.LABEL_VALUE.matcher(value).matches()) {
            return null;
        }
        return new LabelSelector(key, value);
    }

    /** Two selectors no agent can satisfy together: the same key with different required values. */
    boolean excludes(LabelSelector other) {
        return key.equals(other.key) && value != null && other.value != null && !value.equals(other.value);
    }

    @Override
    public String toString() {
        return value == null ? key : key + "=" + value;
    }
}

package dev.weft.scheduler.registry;

import dev.weft.scheduler.system.DnsNames;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A pin's label selector: {@code key} matches any value of the label, {@code key=value} only that value.
 * Keys and values follow Kubernetes' label rules, the same ones agents' labels are checked against, and
 * the limits fit the columns of {@code placement_constraints} (V3: label_key varchar(317), label_value
 * varchar(63)), so a selector the API accepts can always be stored.
 */
record LabelSelector(String key, @Nullable String value) {

    /** A key's optional prefix is a DNS subdomain of at most this many characters. */
    static final int MAX_PREFIX = 253;
    /** A key's name (after the prefix and '/') and a value have at most this many characters. */
    static final int MAX_NAME = 63;
    /** The longest key: prefix, '/', name; the width of placement_constraints.label_key. */
    static final int MAX_KEY = MAX_PREFIX + 1 + MAX_NAME;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    static final String RULE = "a label selector is 'key' or 'key=value'; a key is an optional DNS-subdomain prefix "
            + "(at most " + MAX_PREFIX
            + " characters: dot-separated DNS labels of a-z, 0-9 and '-') and '/', then a name of 1-" + MAX_NAME
            + " characters of A-Z, a-z, 0-9, '-', '_' and '.' that starts and ends with a letter or digit; a value is "
            + "empty or like a name";

    static @Nullable LabelSelector parse(String selector) {
        return problem(selector) == null ? new LabelSelector(key(selector), value(selector)) : null;
    }

    /** What is wrong with {@code selector}, in a sentence naming the part at fault, or null if nothing is. */
    static @Nullable String problem(String selector) {
        String key = key(selector);
        String value = value(selector);
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.length() > MAX_PREFIX) {
                return "the prefix of label key '" + Names.shown(key) + "' is " + prefix.length()
                        + " characters, at most " + MAX_PREFIX + " are allowed";
            }
            String notDns = DnsNames.subdomainProblem(prefix);
            if (notDns != null) {
                return "the prefix '" + Names.shown(prefix) + "' of label key '" + Names.shown(key)
                        + "' is not a DNS subdomain: " + notDns;
            }
        }
        if (name.length() > MAX_NAME) {
            return "the name of label key '" + Names.shown(key) + "' is " + name.length() + " characters, at most "
                    + MAX_NAME + " are allowed";
        }
        if (!NAME.matcher(name).matches()) {
            return "the name '" + Names.shown(name) + "' of label key '" + Names.shown(key) + "' must be 1-" + MAX_NAME
                    + " characters of A-Z, a-z, 0-9, '-', '_' and '.', starting and ending with a letter or digit";
        }
        if (value != null) {
            if (value.length() > MAX_NAME) {
                return "the value of label '" + Names.shown(key) + "' is " + value.length() + " characters, at most "
                        + MAX_NAME + " are allowed";
            }
            if (!value.isEmpty() && !NAME.matcher(value).matches()) {
                return "the value '" + Names.shown(value) + "' of label '" + Names.shown(key) + "' must be empty or 1-"
                        + MAX_NAME
                        + " characters of A-Z, a-z, 0-9, '-', '_' and '.', starting and ending with a letter or digit";
            }
        }
        return null;
    }

    private static String key(String selector) {
        int eq = selector.indexOf('=');
        return eq < 0 ? selector : selector.substring(0, eq);
    }

    private static @Nullable String value(String selector) {
        int eq = selector.indexOf('=');
        return eq < 0 ? null : selector.substring(eq + 1);
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

package dev.weft.scheduler.system;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The DNS-subdomain rule (RFC 1123) that label-key prefixes follow, in pins of a version and in agents' labels
 * alike: at most 253 characters, dot-separated labels of 1-63 characters of {@code a-z}, {@code 0-9} and
 * {@code -}, each starting and ending with a letter or digit.
 */
public final class DnsNames {

    public static final int MAX_SUBDOMAIN = 253;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public static final String SUBDOMAIN_RULE = "a DNS subdomain: at most " + MAX_SUBDOMAIN
            + " characters, dot-separated labels of 1-63 characters of a-z, 0-9 and '-' that start and end with a"
            + " letter or digit";

    private DnsNames() {}

    /** What is wrong with {@code name} as a DNS subdomain, or null if nothing is. */
    public static @Nullable String subdomainProblem(String name) {
        if (name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() > MAX_SUBDOMAIN) {
            return "it is " + name.length() + " characters long";
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                return "it has an empty label (two dots in a row, or a dot at either end)";
            }
            if (!LABEL.matcher(label).matches()) {
                return "its label '" + label + "' is not 1-63 characters of a-z, 0-9 and '-' starting and ending"
                        + " with a letter or digit";
            }
        }
        return null;
    }
}

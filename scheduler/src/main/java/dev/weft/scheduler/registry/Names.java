package dev.weft.scheduler.registry;

import java.util.regex.Pattern;

/** The name rules, identical to the check constraints of the schema so the API rejects first. */
final class Names {

    /** Applications and components: a DNS label (RFC 1123) that starts with a letter. */
    static final Pattern LABEL = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");

    /** Versions: like a DNS label, may start with a digit and contain dots ({@code 1.4.2}, {@code v2}). */
    static final Pattern VERSION = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$");

    /** Label keys as Kubernetes writes them: optional DNS prefix and slash, then a name. */
    static final Pattern LABEL_KEY = Pattern.compile("^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");

    static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");

    static final String LABEL_RULE = "1-63 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'";

    static final String VERSION_RULE = "1-63 characters of a-z, 0-9, '-' and '.', starting and ending with a letter or digit";

    private Names() {
    }

    static boolean isLabel(String name) {
        return LABEL.matcher(name).matches();
    }

    static boolean isVersion(String name) {
        return VERSION.matcher(name).matches();
    }
}

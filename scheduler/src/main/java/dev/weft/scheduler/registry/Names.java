package dev.weft.scheduler.registry;

import java.util.regex.Pattern;

/** The name rules, identical to the check constraints of the schema so the API rejects first. */
final class Names {

    /** Applications and components: a DNS label (RFC 1123) that starts with a letter. */
    static final String LABEL_PATTERN = "^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$";

    static final Pattern LABEL = Pattern.compile(LABEL_PATTERN);

    /** Versions: like a DNS label, may start with a digit and contain dots ({@code 1.4.2}, {@code v2}). */
    static final String VERSION_PATTERN = "^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$";

    static final Pattern VERSION = Pattern.compile(VERSION_PATTERN);

    static final String LABEL_RULE =
            "1-63 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'";

    static final String VERSION_RULE =
            "1-63 characters of a-z, 0-9, '-' and '.', starting and ending with a letter or digit";

    private Names() {}

    /** A name as error details quote it: whole up to 80 characters, so a megabyte of name is not echoed back. */
    static String shown(String name) {
        return name.length() <= 80
                ? name
                : name.substring(0, 40) + "..." + name.substring(name.length() - 20) + " (" + name.length()
                        + " characters)";
    }

    static boolean isLabel(String name) {
        return LABEL.matcher(name).matches();
    }

    static boolean isVersion(String name) {
        return VERSION.matcher(name).matches();
    }
}

package dev.weft.rollout.policy;

import java.math.BigDecimal;

/**
 * Traffic weights as the REST API writes them, percent with at most two decimals ({@code 12.5}), and as the
 * wire and the database hold them, basis points ({@code 1250}).
 */
public final class Percent {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Percent() {}

    /**
     * Basis points of a percentage: {@code 12.5} is 1250.
     *
     * @throws IllegalArgumentException when it is below 0, above 100, or has more than two decimals
     */
    public static int toBasisPoints(BigDecimal percent) {
        if (percent.signum() < 0
                || percent.compareTo(HUNDRED) > 0
                || percent.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException("must be between 0 and 100 with at most two decimals, was "
                    + percent.stripTrailingZeros().toPlainString());
        }
        return percent.movePointRight(2).intValueExact();
    }

    /** The percentage of basis points, without trailing zeros: 1250 is 12.5, 10000 is 100. */
    public static BigDecimal of(int basisPoints) {
        BigDecimal percent = BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros();
        return percent.scale() < 0 ? percent.setScale(0) : percent;
    }

    /** For messages: {@code 12.5 %}. */
    public static String describe(int basisPoints) {
        return of(basisPoints).toPlainString() + " %";
    }
}

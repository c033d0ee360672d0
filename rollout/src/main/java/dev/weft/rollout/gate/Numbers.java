package dev.weft.rollout.gate;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers in messages: at most four significant digits, no exponent, no trailing zeros. */
public final class Numbers {

    private static final MathContext FOUR_DIGITS = new MathContext(4);

    private Numbers() {}

    public static String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).round(FOUR_DIGITS).stripTrailingZeros().toPlainString();
    }
}

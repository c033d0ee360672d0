package dev.weft.examples.boutique;

import dev.weft.examples.boutique.Model.CreditCard;
import dev.weft.examples.boutique.Model.Money;
import dev.weft.examples.boutique.Services.Payment;
import java.time.Clock;
import java.time.YearMonth;
import java.util.UUID;

/** Charges VISA and MasterCard cards that pass the Luhn check and have not expired (as Online Boutique does). */
final class PaymentImpl implements Payment {

    private final Clock clock;

    PaymentImpl(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String charge(Money amount, CreditCard card) {
        String number = card.number().replaceAll("[ -]", "");
        if (!number.matches("\\d{13,19}") || !luhn(number)) {
            throw new IllegalArgumentException("credit card number is not valid");
        }
        String type = number.startsWith("4") ? "visa" : number.matches("5[1-5].*|2[2-7].*") ? "mastercard" : "other";
        if (type.equals("other")) {
            throw new IllegalArgumentException("only VISA and MasterCard are accepted");
        }
        YearMonth expiry = YearMonth.of(card.expirationYear(), Math.max(1, Math.min(12, card.expirationMonth())));
        if (card.expirationMonth() < 1 || card.expirationMonth() > 12 || expiry.isBefore(YearMonth.now(clock))) {
            throw new IllegalArgumentException("the card expired or its expiry is not a month: "
                    + card.expirationMonth() + "/" + card.expirationYear());
        }
        if (amount.units() < 0 || amount.nanos() < 0) {
            throw new IllegalArgumentException("cannot charge a negative amount");
        }
        return UUID.nameUUIDFromBytes(
                        (number + amount + clock.millis()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}

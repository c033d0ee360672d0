package dev.weft.examples.boutique;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.examples.boutique.Model.Money;
import org.junit.jupiter.api.Test;

class CurrencyTest {

    private final CurrencyImpl currency = new CurrencyImpl();

    @Test
    void convertsThroughTheEuroWithNanoPrecision() {
        assertThat(currency.convert(Money.of("EUR", 10, 0), "USD")).isEqualTo(Money.of("USD", 11, 305_000_000));
        assertThat(currency.convert(Money.of("USD", 11, 305_000_000), "EUR")).isEqualTo(Money.of("EUR", 10, 0));
        assertThat(currency.convert(Money.of("USD", 19, 990_000_000), "JPY").display())
                .isEqualTo("JPY 2235.06");
        assertThat(currency.convert(Money.of("GBP", 0, 0), "TRY")).isEqualTo(Money.of("TRY", 0, 0));
    }

    @Test
    void moneyAddsAndMultipliesWithCarry() {
        assertThat(Money.of("USD", 1, 990_000_000).plus(Money.of("USD", 0, 20_000_000)))
                .isEqualTo(Money.of("USD", 2, 10_000_000));
        assertThat(Money.of("USD", 109, 990_000_000).times(3)).isEqualTo(Money.of("USD", 329, 970_000_000));
        assertThatThrownBy(() -> Money.of("USD", 1, 0).plus(Money.of("EUR", 1, 0)))
                .hasMessage("cannot add EUR to USD");
        assertThatThrownBy(() -> currency.convert(Money.of("USD", 1, 0), "XYZ"))
                .hasMessage("unsupported currency 'XYZ'");
    }

    @Test
    void theLuhnCheckTellsGoodNumbersFromBad() {
        assertThat(PaymentImpl.luhn("4432801561520454")).isTrue();
        assertThat(PaymentImpl.luhn("4111111111111111")).isTrue();
        assertThat(PaymentImpl.luhn("4111111111111112")).isFalse();
    }
}

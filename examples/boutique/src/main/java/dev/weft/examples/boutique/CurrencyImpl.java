package dev.weft.examples.boutique;

import dev.weft.examples.boutique.Model.Money;
import dev.weft.examples.boutique.Services.Currency;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Conversion by the euro reference rates Online Boutique ships (units of each currency per euro). */
final class CurrencyImpl implements Currency {

    static final Map<String, BigDecimal> PER_EURO = rates(
            "EUR",
            "1.0",
            "USD",
            "1.1305",
            "JPY",
            "126.40",
            "BGN",
            "1.9558",
            "CZK",
            "25.592",
            "DKK",
            "7.4609",
            "GBP",
            "0.85970",
            "HUF",
            "315.51",
            "PLN",
            "4.2996",
            "RON",
            "4.7463",
            "SEK",
            "10.5375",
            "CHF",
            "1.1360",
            "ISK",
            "136.80",
            "NOK",
            "9.8040",
            "HRK",
            "7.4210",
            "RUB",
            "74.4208",
            "TRY",
            "6.1247",
            "AUD",
            "1.6072",
            "BRL",
            "4.2682",
            "CAD",
            "1.5128",
            "CNY",
            "7.5857",
            "HKD",
            "8.8743",
            "IDR",
            "15999.40",
            "ILS",
            "4.0875",
            "INR",
            "79.4320",
            "KRW",
            "1275.05",
            "MXN",
            "21.7999",
            "MYR",
            "4.6289",
            "NZD",
            "1.6679",
            "PHP",
            "59.083",
            "SGD",
            "1.5349",
            "THB",
            "36.012",
            "ZAR",
            "16.0583");

    private static Map<String, BigDecimal> rates(String... pairs) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], new BigDecimal(pairs[i + 1]));
        }
        return Map.copyOf(out);
    }

    @Override
    public List<String> supportedCurrencies() {
        return List.copyOf(new TreeMap<>(PER_EURO).keySet());
    }

    @Override
    public Money convert(Money from, String toCode) {
        BigDecimal fromRate = rate(from.currencyCode());
        BigDecimal toRate = rate(toCode);
        BigDecimal amount = BigDecimal.valueOf(from.units()).add(BigDecimal.valueOf(from.nanos(), 9));
        BigDecimal converted = amount.divide(fromRate, 12, RoundingMode.HALF_EVEN)
                .multiply(toRate)
                .setScale(9, RoundingMode.HALF_EVEN);
        long units = converted.longValue();
        int nanos =
                converted.subtract(BigDecimal.valueOf(units)).movePointRight(9).intValueExact();
        return new Money(toCode, units, nanos);
    }

    private static BigDecimal rate(String code) {
        BigDecimal rate = PER_EURO.get(code);
        if (rate == null) {
            throw new IllegalArgumentException("unsupported currency '" + code + "'");
        }
        return rate;
    }
}

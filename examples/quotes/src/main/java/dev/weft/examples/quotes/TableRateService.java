package dev.weft.examples.quotes;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/** Rates from a zone table: domestic, within the EU, Europe outside the EU, and the rest of the world. */
@Service
class TableRateService implements RateService {

    private static final Set<String> EU = Set.of(
            "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
            "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");
    private static final Set<String> EUROPE = Set.of("CH", "GB", "IS", "NO", "RS", "UA", "AL", "BA", "ME", "MK");
    private static final Set<String> WORLD = Set.of("US", "CA", "MX", "BR", "JP", "CN", "IN", "AU", "NZ", "ZA");
    private static final Map<String, Rate> RATES = Map.of(
            "domestic", new Rate("domestic", 490, 60),
            "eu", new Rate("eu", 1290, 140),
            "europe", new Rate("europe", 1890, 210),
            "world", new Rate("world", 3490, 520));

    @Override
    public Rate rate(String from, String to) {
        String origin = known(from);
        String destination = known(to);
        String zone;
        if (origin.equals(destination)) {
            zone = "domestic";
        } else if (EU.contains(origin) && EU.contains(destination)) {
            zone = "eu";
        } else if (!WORLD.contains(origin) && !WORLD.contains(destination)) {
            zone = "europe";
        } else {
            zone = "world";
        }
        return java.util.Objects.requireNonNull(RATES.get(zone), zone);
    }

    private static String known(String country) {
        String code = country.toUpperCase(Locale.ROOT);
        if (!EU.contains(code) && !EUROPE.contains(code) && !WORLD.contains(code)) {
            throw new IllegalArgumentException("unknown country '" + country + "'");
        }
        return code;
    }
}

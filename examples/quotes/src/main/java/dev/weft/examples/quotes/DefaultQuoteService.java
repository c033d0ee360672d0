package dev.weft.examples.quotes;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/** Prices a parcel by its chargeable weight (the larger of actual and volumetric weight) and its zone's rate. */
@Service
class DefaultQuoteService implements QuoteService {

    /** Litres per volumetric kilogram (the 5,000 cm³/kg divisor carriers use). */
    private static final double LITRES_PER_KG = 5.0;

    private final RateService rates;

    DefaultQuoteService(RateService rates) {
        this.rates = rates;
    }

    @Override
    public Quote quote(Parcel parcel) {
        Rate rate = rates.rate(parcel.from(), parcel.to());
        double volumetricKg = parcel.volumeLitres() / LITRES_PER_KG;
        double chargeable = Math.ceil(Math.max(parcel.weightKg(), volumetricKg) * 2) / 2; // half-kilo steps
        long weightCents = Math.round(chargeable * rate.perKgCents());
        List<String> lines = new ArrayList<>();
        lines.add("base " + rate.zone() + ": " + rate.baseCents());
        lines.add(chargeable + " kg x " + rate.perKgCents() + ": " + weightCents);
        long total = rate.baseCents() + weightCents;
        if (chargeable > 30) {
            long heavy = 1500;
            lines.add("heavy parcel surcharge: " + heavy);
            total += heavy;
        }
        return new Quote(parcel, rate.zone(), chargeable, total, lines);
    }
}

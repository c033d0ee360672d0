package dev.weft.examples.quotes;

import dev.weft.agent.Idempotent;
import dev.weft.agent.WeftComponent;

/** Prices parcels. */
@WeftComponent("quotes")
public interface QuoteService {

    /** The quote for one parcel. */
    @Idempotent
    Quote quote(Parcel parcel);
}

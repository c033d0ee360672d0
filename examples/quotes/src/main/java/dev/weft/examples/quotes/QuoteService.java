package dev.weft.examples.quotes;

/** Prices parcels. */
public interface QuoteService {

    /** The quote for one parcel. */
    Quote quote(Parcel parcel);
}

package dev.weft.examples.quotes;

/** Tariffs between countries. */
public interface RateService {

    /** The rate from one country to another (ISO 3166 alpha-2 codes); unknown countries are refused. */
    Rate rate(String from, String to);
}

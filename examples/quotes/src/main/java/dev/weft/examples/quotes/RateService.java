package dev.weft.examples.quotes;

import dev.weft.agent.Idempotent;
import dev.weft.agent.WeftComponent;

/** Tariffs between countries. */
@WeftComponent("rates")
public interface RateService {

    /** The rate from one country to another (ISO 3166 alpha-2 codes); unknown countries are refused. */
    @Idempotent
    Rate rate(String from, String to);
}

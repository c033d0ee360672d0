package dev.weft.examples.quotes;

/** The tariff of one zone: a base price and a price per chargeable kilogram, in euro cents. */
public record Rate(String zone, long baseCents, long perKgCents) {}

package dev.weft.rollout;

/** The answer to a request: a {@link Transition}, or a {@link Refusal} that changes nothing. */
public sealed interface Decision permits Transition, Refusal {}

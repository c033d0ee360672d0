package dev.weft.placement.model;

/** How replicas are laid onto agents once the zone is chosen. */
public enum Preference {
    /** Best fit: the fullest agent that still fits, so whole agents stay free (fewer hosts to pay for). */
    PACK,
    /** Worst fit: the emptiest agent, so load and failure impact spread out. */
    SPREAD
}

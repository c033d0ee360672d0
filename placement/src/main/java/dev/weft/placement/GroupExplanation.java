package dev.weft.placement;

import java.util.List;

/**
 * Why a group looks the way it does: the heaviest edges it keeps in-process and the heaviest edges it
 * leaves remote, each with the saving or the limit behind the decision.
 */
public record GroupExplanation(String group, List<EdgeNote> together, List<EdgeNote> cut) {
    public GroupExplanation {
        together = List.copyOf(together);
        cut = List.copyOf(cut);
    }
}

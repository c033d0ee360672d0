package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

import dev.weft.rollout.routing.Weights;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a move: the next state (to persist when {@code changed}), the actions to carry out in order,
 * and the events to log. A move that changes nothing has no actions and no events.
 */
public record Transition(RolloutState state, List<Action> actions, List<RolloutEvent> events, boolean changed)
        implements Decision {

    public Transition {
        requireNonNull(state, "state is null");
        actions = List.copyOf(actions);
        events = List.copyOf(events);
    }

    /** The weights to push, when this move changed them. */
    public Optional<Weights> push() {
        return actions.stream()
                .filter(Action.PushTraffic.class::isInstance)
                .map(a -> ((Action.PushTraffic) a).weights())
                .reduce((first, second) -> second);
    }

    static Transition unchanged(RolloutState state) {
        return new Transition(state, List.of(), List.of(), false);
    }
}

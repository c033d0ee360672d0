package dev.weft.scheduler.rollouts;

import dev.weft.rollout.Decision;
import dev.weft.rollout.OperatorAction;
import dev.weft.rollout.PlacementStatus;
import dev.weft.rollout.Refusal;
import dev.weft.rollout.RefusalCode;
import dev.weft.rollout.RolloutState;
import dev.weft.rollout.Rollouts;
import dev.weft.rollout.Transition;
import dev.weft.rollout.policy.Policy;
import dev.weft.rollout.policy.PolicyProblem;
import dev.weft.rollout.policy.PolicyValidation;
import dev.weft.rollout.policy.PolicyValidator;
import dev.weft.rollout.policy.Presets;
import dev.weft.rollout.policy.VersionShape;
import dev.weft.scheduler.deployments.DeploymentError;
import dev.weft.scheduler.deployments.Deployments;
import dev.weft.scheduler.deployments.Deployments.Weight;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredComponent;
import dev.weft.scheduler.registry.Registry.RegisteredEdge;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import dev.weft.scheduler.rollouts.RolloutStore.Stored;
import dev.weft.scheduler.system.CommonError;
import dev.weft.scheduler.system.ErrorCode;
import dev.weft.scheduler.system.FieldError;
import dev.weft.scheduler.system.WeftException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Operators' side of rollouts: start one, ask it to pause, resume, promote, abort or roll back, read it and the
 * application's history. Each request is one transaction holding the application's row (and the rollout's), decided
 * by the rollout rules; a refusal changes nothing. What a granted request asks of deployments (traffic back to the
 * old version on an abort, say) is carried out as soon as it commits, on whichever node took it.
 */
@Service
class RolloutService {

    private final RolloutStore store;
    private final Rollouts rules;
    private final RolloutMoves moves;
    private final RolloutObserver observer;
    private final RolloutDriver driver;
    private final Deployments deployments;
    private final Registry registry;
    private final TransactionTemplate transactions;
    private final Clock clock;

    RolloutService(
            RolloutStore store,
            Rollouts rules,
            RolloutMoves moves,
            RolloutObserver observer,
            RolloutDriver driver,
            Deployments deployments,
            Registry registry,
            TransactionTemplate transactions,
            Clock clock) {
        this.store = store;
        this.rules = rules;
        this.moves = moves;
        this.observer = observer;
        this.driver = driver;
        this.deployments = deployments;
        this.registry = registry;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Starts a rollout of {@code application} to {@code version} by {@code actor}. */
    RolloutView start(String application, String version, PolicyChoice choice, String actor) {
        Stored started = Objects.requireNonNull(transactions.execute(tx -> {
            long applicationId = store.lockApplication(application).orElseThrow(() -> noApplication(application));
            long toId = store.versionId(applicationId, version)
                    .orElseThrow(() -> new WeftException(
                            DeploymentError.VERSION_NOT_FOUND,
                            "Application '" + application + "' has no version '" + version + "'"));
            Policy policy = switch (choice) {
                case PolicyChoice.Named named ->
                    Presets.named(named.name())
                            .orElseThrow(() -> new WeftException(List.of(new FieldError(
                                    RolloutError.UNKNOWN_POLICY,
                                    "policy",
                                    "policy must be an inline policy object or one of "
                                            + String.join(", ", Presets.names()) + ", was '" + named.name() + "'"))));
                case PolicyChoice.Inline inline -> valid(PolicyValidator.validate(inline.draft()));
            };
            RolloutState active = store.active(applicationId).map(Stored::state).orElse(null);
            String from = serving(application);
            refuse(rules.start(application, from, version, policy, active, actor));
            long fromId =
                    store.versionId(applicationId, Objects.requireNonNull(from)).orElseThrow();
            VersionShape fromShape = shape(fromId, from);
            VersionShape toShape = shape(toId, version);
            Policy resolved = valid(
                    switch (choice) {
                        case PolicyChoice.Named named -> Presets.resolve(named.name(), fromShape, toShape);
                        case PolicyChoice.Inline inline -> PolicyValidator.checkAgainst(policy, fromShape, toShape);
                    });
            Transition t = (Transition) rules.start(application, from, version, resolved, active, actor);
            long id = store.insert(applicationId, fromId, toId, t.state(), resolved, actor);
            moves.record(id, t.state(), t.events());
            return store.find(id).orElseThrow();
        }));
        driver.soon();
        return RolloutView.of(started, clock.instant());
    }

    /** An operator's request on a rollout. */
    RolloutView request(String application, long id, OperatorAction action, String actor) {
        Stored moved = Objects.requireNonNull(transactions.execute(tx -> {
            var unused = store.lockApplication(application).orElseThrow(() -> noApplication(application));
            Stored rollout = store.lock(id)
                    .filter(r -> r.state().application().equals(application))
                    .orElseThrow(() -> noRollout(application, id));
            if (action == OperatorAction.PROMOTE) {
                PlacementStatus placement = observer.placement(rollout.state());
                if (!(placement instanceof PlacementStatus.Complete)
                        && !rollout.state().isFinished()) {
                    throw new WeftException(
                            RolloutError.NOT_PLACED,
                            rollout.state().to() + " is not placed in full yet (" + describe(placement)
                                    + "); it may take all traffic only once every replica runs");
                }
            }
            Decision decision = rules.request(rollout.state(), rollout.policy(), action, actor);
            refuse(decision);
            return moves.persist(rollout, (Transition) decision);
        }));
        // the request's actions (traffic back to the old version on an abort) at once, then the driver follows up
        moves.reconcile(moved.state());
        driver.soon();
        return RolloutView.of(moved, clock.instant());
    }

    RolloutView get(String application, long id) {
        Stored rollout = store.find(id)
                .filter(r -> r.state().application().equals(application))
                .orElseThrow(() -> {
                    if (store.applicationId(application).isEmpty()) {
                        return noApplication(application);
                    }
                    return noRollout(application, id);
                });
        return RolloutView.of(rollout, clock.instant());
    }

    /** One page of the application's rollouts, newest first, and how many it has in all. */
    record Page(List<RolloutView> items, long total) {}

    Page history(String application, int offset, int limit) {
        long applicationId = store.applicationId(application).orElseThrow(() -> noApplication(application));
        List<RolloutView> items = store.history(applicationId, offset, limit).stream()
                .map(r -> RolloutView.of(r, clock.instant()))
                .toList();
        return new Page(items, store.count(applicationId));
    }

    /** The version that serves most of the application's traffic now (null: none). */
    private @Nullable String serving(String application) {
        return deployments.trafficSplit(application).stream()
                .filter(w -> w.basisPoints() > 0)
                .max(Comparator.comparingInt(Weight::basisPoints))
                .map(Weight::version)
                .orElse(null);
    }

    private VersionShape shape(long versionId, String version) {
        RegisteredVersion v = registry.version(versionId).orElseThrow();
        return new VersionShape(
                version,
                v.components().stream().map(RegisteredComponent::name).collect(Collectors.toSet()),
                v.edges().stream().map(RegisteredEdge::callee).collect(Collectors.toSet()));
    }

    private static Policy valid(PolicyValidation validation) {
        return switch (validation) {
            case PolicyValidation.Valid valid -> valid.policy();
            case PolicyValidation.Invalid invalid ->
                throw new WeftException(invalid.problems().stream()
                        .map(RolloutService::fieldError)
                        .toList());
        };
    }

    private static FieldError fieldError(PolicyProblem problem) {
        ErrorCode code = problem.code().name().equals("MISSING_FIELD")
                ? CommonError.MISSING_FIELD
                : RolloutError.valueOf(problem.code().name());
        return new FieldError(code, "policy." + problem.field(), problem.detail());
    }

    private static void refuse(Decision decision) {
        if (decision instanceof Refusal refusal) {
            throw new WeftException(code(refusal.code()), refusal.detail());
        }
    }

    private static RolloutError code(RefusalCode code) {
        return RolloutError.valueOf(code.name());
    }

    private static String describe(PlacementStatus placement) {
        return switch (placement) {
            case PlacementStatus.Complete c -> "placed";
            case PlacementStatus.Placing p -> p.detail();
            case PlacementStatus.ShortOfCapacity s -> "short of capacity: " + s.reason();
            case PlacementStatus.Failed f -> "failed: " + f.reason();
        };
    }

    private static WeftException noApplication(String application) {
        return new WeftException(
                DeploymentError.APPLICATION_NOT_FOUND, "Application '" + application + "' does not exist");
    }

    private static WeftException noRollout(String application, long id) {
        return new WeftException(
                RolloutError.ROLLOUT_NOT_FOUND, "Application '" + application + "' has no rollout " + id);
    }
}

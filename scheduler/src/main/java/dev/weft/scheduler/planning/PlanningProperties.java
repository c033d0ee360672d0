package dev.weft.scheduler.planning;

import dev.weft.placement.PlannerOptions;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Preference;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the planner ({@code weft.planner.*}); every one is optional and documented with its default and unit in
 * {@code application.yml} and the README.
 *
 * @param window load is read over this window ending {@code load-lag} ago (5 min)
 * @param slices the window is cut into this many equal slices; a load change counts only when every slice shows it
 *               (5, so one minute each by default)
 * @param loadLag the newest load may not be written yet: the window ends this long before now (15 s)
 * @param driftThreshold relative change of a component's cpu or memory, or of a heavy edge's calls/s, from what the
 *                       latest plan was computed on, that triggers a re-plan when sustained over the window (0.25)
 * @param driftFloorCores a cpu change smaller than this many cores never counts (0.05)
 * @param driftFloorMemoryMiB a memory change smaller than this many MiB never counts (64)
 * @param heavyEdgeCores an edge is heavy when, cut, it would burn at least this many cores (0.05)
 * @param hysteresisMargin a new plan replaces a valid running one only when it is cheaper by more than this fraction
 *                         (0.05)
 * @param debounce triggers of one version are gathered for this long before it is planned (1 s)
 * @param urgentDebounce the shorter wait when the running plan lost an agent or an operator asked (100 ms)
 * @param checkInterval how often every planned version's load and validity are checked (10 s)
 * @param seed seed of the planner's heuristic
 * @param exactLimit up to this many groupable nodes the exact search runs (16)
 * @param exactNodeBudget search nodes the exact search may visit (2,000,000, about 1 s)
 * @param regroupMargin the running grouping is kept unless another is cheaper by more than this fraction (0.01)
 * @param searchBudget work units of the planner's anytime search above {@code exactLimit} nodes (50,000,000, about
 *                     a second of one core; 0 turns it off)
 * @param costModel the cost model's prices and overheads
 */
@ConfigurationProperties("weft.planner")
record PlanningProperties(
        @Nullable Duration window,
        @Nullable Integer slices,
        @Nullable Duration loadLag,
        @Nullable Double driftThreshold,
        @Nullable Double driftFloorCores,
        @Nullable Double driftFloorMemoryMiB,
        @Nullable Double heavyEdgeCores,
        @Nullable Double hysteresisMargin,
        @Nullable Duration debounce,
        @Nullable Duration urgentDebounce,
        @Nullable Duration checkInterval,
        @Nullable Long seed,
        @Nullable Integer exactLimit,
        @Nullable Long exactNodeBudget,
        @Nullable Double regroupMargin,
        @Nullable Long searchBudget,
        @Nullable CostModelProperties costModel) {

    /**
     * The cost model ({@code weft.planner.cost-model.*}); units and defaults as in placement/README.md.
     *
     * @param callCpu core-seconds one remote call costs, both sides together (50e-6)
     * @param byteCpu core-seconds one remote byte costs (2e-9)
     * @param replicaCpuMax cores of work one replica may carry (2.0)
     * @param targetUtilization share of requested cores work may use (0.7)
     * @param processCpu cores every process replica needs on its own (0.1)
     * @param processMem GiB every process replica needs on its own (0.25)
     * @param pricePerCoreHour dollars per requested core and hour (0.022)
     * @param pricePerGiBHour dollars per requested GiB and hour (0.003)
     * @param preference PACK (fullest agent that fits) or SPREAD (emptiest)
     */
    record CostModelProperties(
            @Nullable Double callCpu,
            @Nullable Double byteCpu,
            @Nullable Double replicaCpuMax,
            @Nullable Double targetUtilization,
            @Nullable Double processCpu,
            @Nullable Double processMem,
            @Nullable Double pricePerCoreHour,
            @Nullable Double pricePerGiBHour,
            @Nullable Preference preference) {

        CostModel model() {
            CostModel d = CostModel.DEFAULTS;
            try {
                return new CostModel(
                        or(callCpu, d.callCpu()),
                        or(byteCpu, d.byteCpu()),
                        or(replicaCpuMax, d.replicaCpuMax()),
                        or(targetUtilization, d.targetUtilization()),
                        or(processCpu, d.processCpu()),
                        or(processMem, d.processMem()),
                        or(pricePerCoreHour, d.pricePerCoreHour()),
                        or(pricePerGiBHour, d.pricePerGiBHour()),
                        preference == null ? d.preference() : preference);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("weft.planner.cost-model: " + e.getMessage(), e);
            }
        }
    }

    PlanningProperties {
        positive(window, "window");
        positive(debounce, "debounce");
        positive(urgentDebounce, "urgent-debounce");
        positive(checkInterval, "check-interval");
        if (loadLag != null && loadLag.isNegative()) {
            throw new IllegalArgumentException("weft.planner.load-lag must not be negative, was " + loadLag);
        }
        if (slices != null && (slices < 1 || slices > 60)) {
            throw new IllegalArgumentException("weft.planner.slices must be 1..60, was " + slices);
        }
        fraction(driftThreshold, "drift-threshold", false);
        fraction(hysteresisMargin, "hysteresis-margin", true);
        fraction(regroupMargin, "regroup-margin", true);
        nonNegative(driftFloorCores, "drift-floor-cores");
        nonNegative(driftFloorMemoryMiB, "drift-floor-memory-mib");
        nonNegative(heavyEdgeCores, "heavy-edge-cores");
        if (costModel != null) {
            costModel.model();
        }
        // the parameters, not options(): a compact constructor assigns the fields only after its body
        options(seed, exactLimit, exactNodeBudget, regroupMargin, searchBudget);
    }

    Duration windowOrDefault() {
        return window == null ? Duration.ofMinutes(5) : window;
    }

    int slicesOrDefault() {
        return slices == null ? 5 : slices;
    }

    Duration loadLagOrDefault() {
        return loadLag == null ? Duration.ofSeconds(15) : loadLag;
    }

    double driftThresholdOrDefault() {
        return or(driftThreshold, 0.25);
    }

    double driftFloorCoresOrDefault() {
        return or(driftFloorCores, 0.05);
    }

    double driftFloorMemoryMiBOrDefault() {
        return or(driftFloorMemoryMiB, 64.0);
    }

    double heavyEdgeCoresOrDefault() {
        return or(heavyEdgeCores, 0.05);
    }

    double hysteresisMarginOrDefault() {
        return or(hysteresisMargin, 0.05);
    }

    Duration debounceOrDefault() {
        return debounce == null ? Duration.ofSeconds(1) : debounce;
    }

    Duration urgentDebounceOrDefault() {
        return urgentDebounce == null ? Duration.ofMillis(100) : urgentDebounce;
    }

    Duration checkIntervalOrDefault() {
        return checkInterval == null ? Duration.ofSeconds(10) : checkInterval;
    }

    CostModel model() {
        return costModel == null ? CostModel.DEFAULTS : costModel.model();
    }

    PlannerOptions options() {
        return options(seed, exactLimit, exactNodeBudget, regroupMargin, searchBudget);
    }

    private static PlannerOptions options(
            @Nullable Long seed,
            @Nullable Integer exactLimit,
            @Nullable Long exactNodeBudget,
            @Nullable Double regroupMargin,
            @Nullable Long searchBudget) {
        PlannerOptions d = PlannerOptions.DEFAULTS;
        try {
            return new PlannerOptions(
                    seed == null ? d.seed() : seed,
                    exactLimit == null ? d.exactLimit() : exactLimit,
                    exactNodeBudget == null ? d.exactNodeBudget() : exactNodeBudget,
                    d.restarts(),
                    or(regroupMargin, d.regroupMargin()),
                    searchBudget == null ? d.searchBudget() : searchBudget);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("weft.planner: " + e.getMessage(), e);
        }
    }

    private static double or(@Nullable Double value, double otherwise) {
        return value == null ? otherwise : value;
    }

    private static void positive(@Nullable Duration value, String key) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException("weft.planner." + key + " must be positive, was " + value);
        }
    }

    private static void nonNegative(@Nullable Double value, String key) {
        if (value != null && !(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("weft.planner." + key + " must be a number >= 0, was " + value);
        }
    }

    private static void fraction(@Nullable Double value, String key, boolean zeroAllowed) {
        if (value != null && !((zeroAllowed ? value >= 0 : value > 0) && value < 1)) {
            throw new IllegalArgumentException(
                    "weft.planner." + key + " must be in " + (zeroAllowed ? "[0, 1)" : "(0, 1)") + ", was " + value);
        }
    }
}

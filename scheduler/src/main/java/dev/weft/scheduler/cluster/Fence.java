package dev.weft.scheduler.cluster;

import java.util.function.Supplier;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The fence check behind {@link Term#check()}: the term is current locally, and its epoch is the database's. */
final class Fence {

    private final EpochStore store;
    private final TransactionTemplate transactions;
    private final ClusterMetrics metrics;

    Fence(EpochStore store, TransactionTemplate transactions, ClusterMetrics metrics) {
        this.store = store;
        this.transactions = transactions;
        this.metrics = metrics;
    }

    void check(Term term) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalTransactionStateException(
                    "a fence check must run inside the transaction whose changes it fences");
        }
        String ended = term.endedBecause();
        if (ended != null) {
            metrics.fenceRefused();
            throw new FencedException(
                    term.nodeId(),
                    term.epoch(),
                    0,
                    null,
                    "node '" + term.nodeId() + "' no longer leads: its term of epoch " + term.epoch() + " ended ("
                            + ended + ")");
        }
        EpochStore.Row row = store.lockShared();
        if (row.epoch() != term.epoch()) {
            metrics.fenceRefused();
            throw new FencedException(
                    term.nodeId(),
                    term.epoch(),
                    row.epoch(),
                    row.leaderNode(),
                    "node '" + term.nodeId() + "' no longer leads: it was elected with epoch " + term.epoch()
                            + ", but node '" + row.leaderNode() + "' has been elected since, with epoch "
                            + row.epoch());
        }
    }

    <T> T run(Term term, Supplier<T> work) {
        Object[] result = new Object[1];
        transactions.executeWithoutResult(tx -> {
            check(term);
            result[0] = work.get();
        });
        @SuppressWarnings("unchecked") // what work returned
        T value = (T) result[0];
        return value;
    }
}

package dev.weft.scheduler.registry;

import java.sql.SQLException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Tells a lost race on a unique key apart from every other write the database refused. Only the first
 * is worth deciding again (another request stored the same name first); any other refusal means the
 * API let through something the schema forbids, a bug that must surface rather than be retried.
 */
final class DuplicateKeys {

    /** PostgreSQL's SQLState for unique_violation. */
    static final String UNIQUE_VIOLATION = "23505";

    private DuplicateKeys() {}

    static boolean isDuplicateKey(DataIntegrityViolationException refused) {
        for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

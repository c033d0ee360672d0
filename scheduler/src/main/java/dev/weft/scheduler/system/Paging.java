package dev.weft.scheduler.system;

import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Checks page parameters the same way on every listing, so a bad one gets the same clear error. */
public final class Paging {

    public static final int MAX_SIZE = 500;

    /** The furthest a page may start: no listing holds this many items, and the database takes no larger offset. */
    public static final int MAX_OFFSET = Integer.MAX_VALUE;

    private Paging() {}

    public static PageRequest of(int page, int size, Sort sort) {
        if (page < 0) {
            throw new WeftException(List.of(new FieldError(
                    CommonError.INVALID_PARAMETER, "page", "Query parameter 'page' must be 0 or more, was " + page)));
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new WeftException(List.of(new FieldError(
                    CommonError.INVALID_PARAMETER,
                    "size",
                    "Query parameter 'size' must be between 1 and " + MAX_SIZE + ", was " + size)));
        }
        if ((long) page * size > MAX_OFFSET) {
            throw new WeftException(List.of(new FieldError(
                    CommonError.INVALID_PARAMETER,
                    "page",
                    "Query parameter 'page' is too large: page × size (" + page + " × " + size + ") must be at most "
                            + MAX_OFFSET)));
        }
        return PageRequest.of(page, size, sort);
    }
}

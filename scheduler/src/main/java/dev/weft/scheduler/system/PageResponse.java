package dev.weft.scheduler.system;

import java.util.List;

/** One page of a listing: the items, where the page starts, and how many there are in all. */
public record PageResponse<T>(List<T> items, int page, int size, long total) {

    public PageResponse {
        items = List.copyOf(items);
    }
}

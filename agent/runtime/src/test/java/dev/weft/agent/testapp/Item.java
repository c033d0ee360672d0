package dev.weft.agent.testapp;

import java.util.List;
import java.util.Map;

/** A payload with nested collections, as real component calls carry. */
public record Item(String key, List<String> tags, Map<String, Integer> counts) {}

package dev.weft.bench.placement;

import dev.weft.placement.model.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The best-known groupings of the quality benchmark, one text file per instance in {@code bench/placement-reference/}
 * (committed, so anyone can re-price them without repeating the long search): a header line, then one line per
 * group listing its components by name.
 */
final class ReferenceStore {
    private final Path dir;

    ReferenceStore(Path dir) {
        this.dir = dir;
    }

    /** A stored grouping (group id per component of the problem) and the header it was saved with. */
    static final class Stored {
        private final int[] groupOf;
        private final String header;

        Stored(int[] groupOf, String header) {
            this.groupOf = groupOf;
            this.header = header;
        }

        int[] groupOf() {
            return groupOf;
        }

        String header() {
            return header;
        }
    }

    Optional<Stored> read(String name, Problem p) {
        Path file = dir.resolve(name + ".txt");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < p.components().size(); i++) {
                index.put(p.components().get(i).name(), i);
            }
            int[] groupOf = new int[p.components().size()];
            Arrays.fill(groupOf, -1);
            int g = 0;
            String header = "";
            for (String line : lines) {
                if (line.startsWith("#")) {
                    header = line.substring(1).strip();
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                for (String c : line.strip().split(" ", -1)) {
                    Integer i = index.get(c);
                    if (i == null || groupOf[i] >= 0) {
                        throw new IllegalStateException(file + ": unknown or repeated component " + c);
                    }
                    groupOf[i] = g;
                }
                g++;
            }
            for (int i = 0; i < groupOf.length; i++) {
                if (groupOf[i] < 0) {
                    throw new IllegalStateException(
                            file + ": component " + p.components().get(i).name() + " missing");
                }
            }
            return Optional.of(new Stored(groupOf, header));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String name, Problem p, int[] groupOf, String header) {
        Map<Integer, List<String>> groups = new TreeMap<>();
        for (int i = 0; i < groupOf.length; i++) {
            groups.computeIfAbsent(groupOf[i], k -> new ArrayList<>())
                    .add(p.components().get(i).name());
        }
        List<String> lines = new ArrayList<>();
        lines.add("# " + header);
        groups.values().stream()
                .map(l -> String.join(" ", l.stream().sorted().toList()))
                .sorted()
                .forEach(lines::add);
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".txt"), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

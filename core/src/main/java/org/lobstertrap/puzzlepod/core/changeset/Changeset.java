package org.lobstertrap.puzzlepod.core.changeset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything a branch changed relative to its base, sorted by path. A complete description: applying
 * it to the base yields the branch's view (Deleted entries list every removed file and directory,
 * including those hidden by an opaque directory).
 */
public record Changeset(List<Change> changes) {
    public Changeset {
        List<Change> sorted = new ArrayList<>(changes);
        sorted.sort(Comparator.comparing(Change::path));
        changes = List.copyOf(sorted);
    }

    public static Changeset empty() { return new Changeset(List.of()); }

    public boolean isEmpty() { return changes.isEmpty(); }

    public int size() { return changes.size(); }

    /** Sum of {@link Change#size()} over all entries: the bytes a commit writes. */
    public long totalBytes() {
        long total = 0;
        for (Change c : changes) total += c.size();
        return total;
    }

    public long count(ChangeKind kind) { return changes.stream().filter(c -> c.kind() == kind).count(); }
}

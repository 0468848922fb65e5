package org.lobstertrap.puzzlepod.daemon.branch;

import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.OverlayFlavour;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

final class StoreFixtures {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private StoreFixtures() {}

    static NewBranch request(Path base, String id) {
        return new NewBranch(id == null ? null : BranchId.of(id), 1000, "standard", base, Duration.ofHours(1), OverlayFlavour.KERNEL);
    }

    static Path base(Path tmp) throws IOException {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Files.writeString(base.resolve("README"), "base content\n");
        return base;
    }

    static List<String> names(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) { s.forEach(p -> out.add(p.getFileName().toString())); }
        out.sort(null);
        return out;
    }

    static void fill(Path dir, int files) throws IOException {
        for (int i = 0; i < files; i++) {
            Path sub = Files.createDirectories(dir.resolve("d" + (i % 10)));
            Files.writeString(sub.resolve("f" + i), "x" + i);
        }
    }
}

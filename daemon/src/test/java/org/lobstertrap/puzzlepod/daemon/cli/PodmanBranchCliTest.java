package org.lobstertrap.puzzlepod.daemon.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The whole loop on real parts: puzzle-branch create → a real podman container writes through the
 * kernel overlay with the printed volume argument → diff → commit or rollback.
 */
@Tag("slow")
class PodmanBranchCliTest {
    private static final String IMAGE = "localhost/puzzlepod-test:latest";
    @TempDir Path tmp;

    private static String podman(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("podman");
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail("podman timed out: " + cmd);
            }
            if (p.exitValue() != 0) return fail("podman failed with exit " + p.exitValue() + ": " + cmd + "\n" + out);
            return out;
        } catch (IOException e) {
            return fail("cannot run podman (the integration tests need podman and the image " + IMAGE
                    + ", see .ci/setup-machine.sh): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    private static void runAgent(String volume, String script) {
        podman(List.of("image", "exists", IMAGE));
        podman(List.of("run", "--rm", "--network=none", "-v", volume, IMAGE, "sh", "-euc", script));
    }

    private Path base() throws IOException {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Files.writeString(base.resolve("keep.txt"), "keep\n");
        Files.writeString(base.resolve("edit.txt"), "before\n");
        Files.writeString(base.resolve("remove.txt"), "doomed\n");
        Files.createDirectories(base.resolve("olddir/sub"));
        Files.writeString(base.resolve("olddir/sub/x"), "x\n");
        return base;
    }

    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).filter(p -> !p.isEmpty()).sorted().toList();
        }
    }

    @Test
    void anAgentsWritesThroughTheOverlayAreDiffedAndCommitted() throws Exception {
        Path base = base();
        Path root = tmp.resolve("root");
        CliRun created = CliRun.run(root, "create", "--base", base.toString(), "--id", "agent-1");
        assertThat(created.exit()).as(created.toString()).isZero();
        String volume = created.field("podman").substring("-v ".length());

        runAgent(volume, "cd /workspace; echo after > edit.txt; rm remove.txt; rm -r olddir; "
                + "mkdir -p new/deep; echo hi > new/deep/file; ln -s keep.txt link; chmod 600 keep.txt");

        CliRun diff = CliRun.run(root, "diff", "agent-1");
        assertThat(diff.exit()).as(diff.toString()).isZero();
        assertThat(diff.out()).containsPattern("Modified\\s+edit.txt").containsPattern("Deleted\\s+remove.txt")
                .containsPattern("Deleted\\s+olddir/").containsPattern("Deleted\\s+olddir/sub/x")
                .containsPattern("Added\\s+new/deep/file").containsPattern("Symlink\\s+link")
                .containsPattern("MetadataChanged\\s+keep.txt");
        assertThat(tree(base)).as("the base is untouched until commit")
                .containsExactly("edit.txt", "keep.txt", "olddir", "olddir/sub", "olddir/sub/x", "remove.txt");

        CliRun commit = CliRun.run(root, "commit", "agent-1");
        assertThat(commit.exit()).as(commit.toString()).isZero();
        assertThat(tree(base)).containsExactly("edit.txt", "keep.txt", "link", "new", "new/deep", "new/deep/file");
        assertThat(base.resolve("edit.txt")).hasContent("after");
        assertThat(Files.readSymbolicLink(base.resolve("link")).toString()).isEqualTo("keep.txt");
        assertThat(Files.getPosixFilePermissions(base.resolve("keep.txt")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(root.resolve("agent-1")).doesNotExist();
    }

    @Test
    void rollingBackAnAgentsBranchLeavesTheBaseAsItWas() throws Exception {
        Path base = base();
        List<String> before = tree(base);
        Path root = tmp.resolve("root");
        CliRun created = CliRun.run(root, "create", "--base", base.toString(), "--id", "agent-2");
        assertThat(created.exit()).as(created.toString()).isZero();
        runAgent(created.field("podman").substring("-v ".length()),
                "cd /workspace; rm -r olddir remove.txt; echo evil > keep.txt; mkfifo pipe; mkdir -p a/b/c; echo z > a/b/c/z");

        CliRun rb = CliRun.run(root, "rollback", "agent-2");
        assertThat(rb.exit()).as(rb.toString()).isZero();
        assertThat(tree(base)).isEqualTo(before);
        assertThat(base.resolve("keep.txt")).hasContent("keep");
        assertThat(root.resolve("agent-2")).doesNotExist();
        assertThat(tree(root.resolve(".trash"))).isEmpty();
    }
}

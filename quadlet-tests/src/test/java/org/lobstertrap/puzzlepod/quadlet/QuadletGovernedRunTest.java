package org.lobstertrap.puzzlepod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;

/**
 * Each shipped Quadlet unit, as systemd would start it: the real generator's ExecStart (specifiers expanded)
 * run against real podman with the product's hooks and a real puzzled on a private system-type bus, the unit's
 * volume pointing at a temporary project. The agent's work is governed as on the plain podman path.
 * <p>
 * Changes made to each unit before generating (the rest, annotation included, is as shipped): the host side
 * of {@code Volume=} (the temp project), {@code Image=} (the local test image) and {@code Exec=} (a scripted
 * agent). Changes made to the generated command: {@code /usr/bin/podman} gets the private hooks dir, and
 * {@code --cgroups=split} is dropped: it needs the cgroup systemd delegates to a service (no systemd is PID 1
 * here: "could not find cgroup mount in /proc/self/cgroup").
 */
@Tag("slow")
class QuadletGovernedRunTest {
    static final String IMAGE = "localhost/puzzlepod-test:latest";
    static final List<ShippedUnits.Unit> UNITS = ShippedUnits.ALL;
    static final Set<String> UNDECIDED = Set.of("ready", "active", "frozen", "committing");

    @TempDir static Path stackDir;
    static PuzzledStack stack;
    static PuzzlePodClient client;

    @TempDir Path dir;
    final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        PuzzledStack.Run image = PuzzledStack.Run.of(List.of("podman", "image", "exists", IMAGE), 60);
        assertThat(image.status()).as("the test image " + IMAGE + " is missing (.ci/setup-machine.sh builds it) " + image.err()).isZero();
        stack = PuzzledStack.start(stackDir);
        client = PuzzlePodClient.connect(BusChoice.address(stack.busAddress()));
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (client != null) client.close();
        if (stack != null) stack.close();
    }

    @AfterEach
    void removeContainers() throws Exception {
        for (String name : containers) PuzzledStack.Run.of(List.of("podman", "rm", "-f", "--ignore", name), 60);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("UNITS")
    void aHelpfulAgentsWorkIsCommitted(ShippedUnits.Unit unit) throws Exception {
        Path project = project();
        // The review agent may only write notes; the others edit the project.
        String script = unit.profile().equals("code-reviewer")
                ? "cd /workspace && mkdir -p .review && echo \"looks good\" > .review/notes.md"
                : "cd /workspace && echo \"more\" >> README.md && mkdir -p src && echo \"print(1)\" > src/new.py";
        String branch = runUnit(unit, project, script);

        JsonNode decided = awaitDecision(branch);
        assertThat(decided.path("state").asText()).as(stack.puzzledLog()).isEqualTo("committed");
        if (unit.profile().equals("code-reviewer")) {
            assertThat(project.resolve(".review/notes.md")).hasContent("looks good");
        } else {
            assertThat(project.resolve("README.md")).hasContent("# app\nmore");
            assertThat(project.resolve("src/new.py")).hasContent("print(1)");
        }
        assertVisibleToOperator(unit, project, branch, "committed", "committed");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("UNITS")
    void anAgentWritingAnSshKeyIsRejectedAndTheProjectIsUntouched(ShippedUnits.Unit unit) throws Exception {
        Path project = project();
        Map<String, String> before = snapshot(project);
        String branch = runUnit(unit, project, "cd /workspace && mkdir -p .ssh && "
                + "echo \"-----BEGIN OPENSSH PRIVATE KEY-----\" > .ssh/id_rsa && echo \"pwned\" >> README.md");

        JsonNode decided = awaitDecision(branch);
        assertThat(decided.path("state").asText()).as(stack.puzzledLog()).isEqualTo("rolled-back");
        assertThat(snapshot(project)).isEqualTo(before);
        assertThat(project.resolve(".ssh")).doesNotExist();
        assertVisibleToOperator(unit, project, branch, "rolled-back", "rejected");
    }

    /** Generates the unit with the project as its volume, runs its ExecStart; the branch the hooks created. */
    private String runUnit(ShippedUnits.Unit unit, Path project, String script) throws Exception {
        Path units = Files.createDirectories(dir.resolve("units"));
        Files.writeString(units.resolve(unit.file()), adapt(Files.readString(RepoFiles.quadlets().resolve(unit.file())), project, script));
        Map<String, String> generated = QuadletGenerator.find().dryRun(units, false);
        assertThat(generated).containsKey(unit.service());
        String execStart = UnitText.value(generated.get(unit.service()), "Service", "ExecStart");
        Path runtime = Files.createDirectories(dir.resolve("run"));
        List<String> argv = ExecLine.parse(execStart, Map.of('t', runtime.toString(), 'N', unit.name(), 'n', unit.service())).argv();

        assertThat(argv.getFirst()).isEqualTo("/usr/bin/podman");
        assertThat(QuadletDryRunTest.pairs(argv, "--annotation")).containsExactly("org.lobstertrap.puzzlepod.profile=" + unit.profile());
        assertThat(QuadletDryRunTest.pairs(argv, "-v")).containsExactly(project + ":/workspace");
        List<String> command = new ArrayList<>(stack.podman());
        command.addAll(argv.subList(1, argv.size()).stream().filter(a -> !a.equals("--cgroups=split")).toList());
        containers.add(unit.name());

        PuzzledStack.Run run = PuzzledStack.Run.of(command, 180);
        assertThat(run.status()).as("generated podman run failed: " + run.err() + "\n" + stack.puzzledLog()).isZero();
        // -d: podman prints the container id and returns; the agent runs on, the hooks govern it.
        assertThat(run.out().strip()).matches("[0-9a-f]{64}");

        JsonNode branches = PuzzledStack.JSON.readTree(client.listBranches("{\"base\": \"" + project + "\"}")).path("branches");
        assertThat(branches).as("one branch over the project, created by the hooks").hasSize(1);
        assertThat(branches.get(0).path("profile").asText()).isEqualTo(unit.profile());
        return branches.get(0).path("id").asText();
    }

    /** The unit as shipped, with the test's project, image and agent script. */
    static String adapt(String unit, Path project, String script) {
        String out = replaceLine(unit, "Volume=" + ShippedUnits.PROJECT + ":/workspace", "Volume=" + project + ":/workspace");
        out = replaceLine(out, "Image=", "Image=" + IMAGE);
        assertThat(script).doesNotContain("'").doesNotContain("%").doesNotContain("$");
        return replaceLine(out, "Exec=", "Exec=sh -c '" + script + "'");
    }

    private static String replaceLine(String unit, String prefix, String replacement) {
        List<String> lines = new ArrayList<>(unit.lines().toList());
        List<Integer> hits = java.util.stream.IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith(prefix)).boxed().toList();
        assertThat(hits).as("exactly one line starting with " + prefix).hasSize(1);
        lines.set(hits.getFirst(), replacement);
        return String.join("\n", lines) + "\n";
    }

    private JsonNode awaitDecision(String branch) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            JsonNode b = PuzzledStack.JSON.readTree(client.inspectBranch(branch));
            if (!UNDECIDED.contains(b.path("state").asText())) return b;
            if (System.nanoTime() > deadline) throw new AssertionError("branch " + branch + " undecided after 120 s: " + b + "\n" + stack.puzzledLog());
            Thread.sleep(200);
        }
    }

    /** What the operator sees: puzzlectl branch list and the audit log's gate decision. */
    private void assertVisibleToOperator(ShippedUnits.Unit unit, Path project, String branch, String state, String outcome) throws Exception {
        JsonNode list = stack.ctl("branch", "list", "--base", project.toString());
        JsonNode rows = list.isArray() ? list : list.path("branches");
        assertThat(rows).as(list.toString()).hasSize(1);
        assertThat(rows.get(0).path("id").asText()).isEqualTo(branch);
        assertThat(rows.get(0).path("state").asText()).isEqualTo(state);
        assertThat(rows.get(0).path("profile").asText()).isEqualTo(unit.profile());

        JsonNode audit = stack.ctl("audit", "list", "--type", "gate.decision", "--branch", branch);
        JsonNode events = audit.isArray() ? audit : audit.path("events");
        assertThat(events).as(audit.toString()).hasSize(1);
        assertThat(events.get(0).path("data").path("outcome").asText()).as(audit.toString()).isEqualTo(outcome);
        assertThat(events.get(0).path("data").path("profile").asText()).isEqualTo(unit.profile());
    }

    private Path project() throws IOException {
        Path project = Files.createDirectories(dir.resolve("app"));
        Files.writeString(project.resolve("README.md"), "# app\n");
        Files.writeString(project.resolve("requirements.lock"), "pytest==8.0.0\n");
        return project.toRealPath();
    }

    /** Every path under root with its type and, for files, a SHA-256 of the content. */
    static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String key = root.relativize(p).toString();
                if (Files.isDirectory(p)) out.put(key, "dir " + Files.getPosixFilePermissions(p));
                else out.put(key, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                        + " " + Files.getPosixFilePermissions(p));
            }
        }
        return out;
    }
}

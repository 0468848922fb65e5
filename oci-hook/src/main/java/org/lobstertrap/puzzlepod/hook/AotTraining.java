package org.lobstertrap.puzzlepod.hook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.lobstertrap.puzzlepod.client.Annotations;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.client.PartialManager;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;

/**
 * The AOT training run of {@code puzzle-hook} ({@code puzzle-hook --aot-training}, used by
 * {@code bin/build-aot-caches} inside {@code dbus-run-session}): runs all three stages in this process,
 * successfully, against a minimal Manager1 exported on the session bus, so that the JDK's AOT cache holds
 * every class a real container start loads (D-Bus call and reply, JSON, the spec rewrite).
 */
final class AotTraining {
    private AotTraining() {}

    /** Runs the three stages against a stand-in exported on the bus at {@code busAddress} (a {@code unix:} address). */
    static int run(String busAddress, PrintStream err) {
        if (busAddress == null || busAddress.isEmpty()) {
            err.println("puzzle-hook: --aot-training needs a session bus (run it under dbus-run-session)");
            return HookError.USAGE.exitStatus();
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("puzzle-hook-training");
            Path base = Files.createDirectories(dir.resolve("base"));
            Path upper = Files.createDirectories(dir.resolve("upper"));
            Path work = Files.createDirectories(dir.resolve("work"));
            // stand-ins for the shim and the branch's rules: the rewrite only checks that they are there
            Path rules = Files.writeString(dir.resolve("training.rules"), "version 1\n");
            Path shim = Files.writeString(dir.resolve("puzzle-init"), "");
            shim.toFile().setExecutable(true);
            String branch = "{\"id\":\"training\",\"profile\":\"standard\",\"base\":\"" + base.toRealPath() + "\",\"workspace\":\"/workspace\","
                    + "\"state\":\"ready\",\"overlay\":\"kernel\",\"upper\":\"" + upper + "\",\"work\":\"" + work + "\","
                    + "\"shim_rules\":\"" + rules + "\",\"seccomp_listener\":\"" + dir.resolve("seccomp.sock") + "\"}";
            Files.writeString(dir.resolve("config.json"), "{\"annotations\":{\"" + Annotations.BRANCH + "\":\"training\"}}");
            try (DBusConnection server = DBusConnectionBuilder.forAddress(busAddress).withShared(false).build()) {
                server.requestBusName(Manager1.BUS_NAME);
                server.exportObject(Manager1.OBJECT_PATH, new TrainingManager(branch));
                Map<String, String> env = new HashMap<>(System.getenv());
                env.put(HookEnvironment.BUS_VARIABLE, busAddress);
                env.put(InitShimExtension.SHIM_VARIABLE, shim.toString());
                HookEnvironment he = new HookEnvironment(env, HookEnvironment.currentUid(), PuzzlePodClient::connect);
                String annotations = "{\"" + Annotations.PROFILE + "\":\"standard\",\"" + Annotations.BRANCH + "\":\"training\"}";
                String spec = "{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"args\":[\"sh\"],\"env\":[\"PATH=/bin\"]},"
                        + "\"root\":{\"path\":\"" + dir.resolve("rootfs") + "\"},\"mounts\":[{\"destination\":\"/workspace\",\"type\":\"bind\","
                        + "\"source\":\"" + base + "\",\"options\":[\"rw\",\"rprivate\",\"rbind\"]},{\"destination\":\"/proc\",\"type\":\"proc\","
                        + "\"source\":\"proc\",\"options\":[\"nosuid\"]}],\"annotations\":{\"" + Annotations.PROFILE + "\":\"standard\"},"
                        + "\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
                        + "\"args\":[{\"index\":0,\"value\":18446744073709551615,\"op\":\"SCMP_CMP_EQ\"}]}]}}}";
                String state = "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"training\",\"status\":\"creating\",\"pid\":" + ProcessHandle.current().pid()
                        + ",\"bundle\":\"" + dir + "\",\"annotations\":" + annotations + "}";
                String stopped = "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"training\",\"status\":\"stopped\",\"bundle\":\"" + dir
                        + "\",\"annotations\":{\"" + Annotations.PROFILE + "\":\"standard\"}}";
                int failed = 0;
                for (String[] stage : new String[][] {{"precreate", spec}, {"createRuntime", state}, {"poststop", stopped}}) {
                    int rc = PuzzleHook.run(new String[] {stage[0]}, new ByteArrayInputStream(stage[1].getBytes(StandardCharsets.UTF_8)),
                            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), err, he, false);
                    if (rc != 0) failed++;
                }
                return failed == 0 ? 0 : HookError.INTERNAL.exitStatus();
            }
        } catch (Exception e) {
            err.println("puzzle-hook: the AOT training run failed: " + e);
            return HookError.INTERNAL.exitStatus();
        } finally {
            if (dir != null) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory; nothing depends on it
                }
            }
        }
    }

    /** Answers the calls the stages make, always with the training branch. */
    private static final class TrainingManager extends PartialManager {
        private final String branch;

        TrainingManager(String branch) { this.branch = branch; }

        @Override public String getObjectPath() { return OBJECT_PATH; }
        @Override public String CreateBranch(String p, String b, String o) { return branch; }
        @Override public String InspectBranch(String id) { return branch; }
        @Override public String AttachGovernance(String id, String c) { return branch; }
        @Override public String TriggerGovernance(String id, String e) { return "{\"branch\":\"training\",\"accepted\":true,\"state\":\"committing\"}"; }
        @Override public String RollbackBranch(String id, String r) { return branch; }
    }
}

package org.lobstertrap.puzzlepod.hook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.lobstertrap.puzzlepod.client.Annotations;
import org.lobstertrap.puzzlepod.client.hook.HookSocketLocation;

/**
 * The AOT training run of {@code puzzle-hook} ({@code puzzle-hook --aot-training}, used by
 * {@code bin/build-aot-caches}): runs the precreate stage in this process, successfully, against a minimal
 * stand-in of puzzled's hook socket served by this process, so that the JDK's AOT cache holds every class a
 * real container start loads (socket call and answer, JSON, the spec rewrite).
 */
final class AotTraining {
    private AotTraining() {}

    /** Runs precreate (a new branch, then the wrapper's branch) and the retired stages against the in-process stand-in. */
    static int run(PrintStream err) {
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
            Path socket = dir.resolve(HookSocketLocation.SOCKET_NAME);
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                Thread standIn = Thread.ofPlatform().daemon(true).name("training-daemon").start(() -> answer(server, "{\"ok\":" + branch + "}\n"));
                Map<String, String> env = new HashMap<>(System.getenv());
                env.put(HookSocketLocation.RUNTIME_DIR_VARIABLE, dir.toString());
                env.put(InitShimExtension.SHIM_VARIABLE, shim.toString());
                HookEnvironment he = new HookEnvironment(env, HookSocketLocation.currentUid(), null, HookEnvironment.HOOK_SOCKET);
                int failed = 0;
                for (String annotations : new String[] {"", ",\"" + Annotations.BRANCH + "\":\"training\""}) {
                    String spec = "{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"args\":[\"sh\"],\"env\":[\"PATH=/bin\"]},"
                            + "\"root\":{\"path\":\"" + dir.resolve("rootfs") + "\"},\"mounts\":[{\"destination\":\"/workspace\",\"type\":\"bind\","
                            + "\"source\":\"" + base + "\",\"options\":[\"rw\",\"rprivate\",\"rbind\"]},{\"destination\":\"/proc\",\"type\":\"proc\","
                            + "\"source\":\"proc\",\"options\":[\"nosuid\"]}],\"annotations\":{\"" + Annotations.PROFILE + "\":\"standard\"" + annotations + "},"
                            + "\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
                            + "\"args\":[{\"index\":0,\"value\":18446744073709551615,\"op\":\"SCMP_CMP_EQ\"}]}]}}}";
                    int rc = PuzzleHook.run(new String[] {"precreate"}, new ByteArrayInputStream(spec.getBytes(StandardCharsets.UTF_8)),
                            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), err, he, false);
                    if (rc != 0) failed++;
                }
                server.close();
                standIn.join(5_000);
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

    /** Answers every request line on every connection with {@code answer}, until the server is closed. */
    private static void answer(ServerSocketChannel server, String answer) {
        byte[] reply = answer.getBytes(StandardCharsets.UTF_8);
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(64 * 1024);
                while (c.read(in) > 0) {
                    for (int i = 0; i < in.position(); i++) {
                        if (in.get(i) == '\n') c.write(ByteBuffer.wrap(reply));
                    }
                    in.clear();
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }
}

package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.lobstertrap.puzzlepod.client.hook.BuiltInSelectorProvider;

/**
 * {@code puzzle-hook precreate}: the OCI hook of governed containers (see {@code hooks.d/}). It talks to
 * puzzled over the hook socket, so it loads no D-Bus class. Fails closed: any error is one line on stderr
 * and a non-zero exit status ({@link HookError#exitStatus()}), which makes podman abort the container
 * start. Arguments are parsed by hand because every container start pays this program's start-up. The
 * retired stages createRuntime and poststop are accepted and do nothing (see {@link Stage}).
 */
public final class PuzzleHook {
    private PuzzleHook() {}

    /** The argument of bin/build-aot-caches' training run (not a stage): all stages, in-process, against a stand-in. */
    static final String AOT_TRAINING = "--aot-training";

    public static void main(String[] args) {
        BuiltInSelectorProvider.choose();
        // the training run exits normally: the JVM writes the AOT cache at exit
        if (args.length == 1 && args[0].equals(AOT_TRAINING)) System.exit(AotTraining.run(System.err));
        exit(run(args, System.in, System.out, System.err, HookEnvironment.ofThisProcess(), true));
    }

    /**
     * Ends the process with {@code status} once stdout and stderr are flushed. Not {@code System.exit}: that
     * first initialises the JDK's {@code System.Logger} (to log the exit at DEBUG), ~10 ms of CPU on every
     * container start; this program registers no shutdown hook and leaves nothing else to run at exit.
     */
    private static void exit(int status) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    /**
     * Runs one stage. {@code toParent}: also write an error to the parent's stderr, because podman 4.3
     * discards a precreate hook's stderr and the person starting the container would see no reason.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, HookEnvironment env, boolean toParent) {
        Stage stage = null;
        try {
            if (args.length != 1) {
                throw new HookException(HookError.USAGE, "usage: puzzle-hook precreate  (the OCI spec on stdin)");
            }
            stage = Stage.parse(args[0]);
            byte[] input = HookJson.readBounded(in, "stdin");
            switch (stage) {
                case PRECREATE -> {
                    JsonNode spec = HookJson.parseObject(input, "the spec on stdin");
                    RewrittenSpec result = new PrecreateStage(containment(env)).run(spec, env);
                    byte[] json = HookJson.write(result.spec()).getBytes(StandardCharsets.UTF_8);
                    out.write(json, 0, json.length);
                    out.flush();
                }
                case CREATE_RUNTIME, POSTSTOP -> {
                    // retired: puzzled attaches at runc's seccomp message and triggers at the init's exit
                }
            }
            return 0;
        } catch (HookException e) {
            report(err, "puzzle-hook: " + e.getMessage() + consequence(stage), stage == Stage.PRECREATE && toParent);
            return e.error().exitStatus();
        } catch (RuntimeException | Error e) {
            report(err, "puzzle-hook: internal error: " + e + consequence(stage), stage == Stage.PRECREATE && toParent);
            return HookError.INTERNAL.exitStatus();
        }
    }

    /**
     * The precreate rewrite with the kernel containment every governed container gets: the seccomp
     * supervisor's notifications and the puzzle-init shim (Landlock).
     */
    static SpecRewriter containment(HookEnvironment env) {
        return new SpecRewriter(List.of(new SeccompNotifyExtension(), new SyscallDenyExtension(), InitShimExtension.of(env)));
    }

    /** What the failure means for the container, said once at the end of the message. */
    private static String consequence(Stage stage) {
        if (stage == null) return "";
        return "; refusing to start an ungoverned container";
    }

    private static void report(PrintStream err, String line, boolean toParent) {
        err.println(line);
        err.flush();
        if (toParent) ParentConsole.tell(line);
    }
}

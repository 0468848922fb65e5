package org.lobstertrap.puzzlepod.bridge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows {@code podman events} for container deaths and records each exit in an {@link ExitLedger}.
 *
 * <p>Why events: conmon is the only process that learns the exit status (it is the container's reaper), and
 * it hands it to podman, which emits a {@code died} event with {@code ContainerExitCode} — for every entry
 * path (puzzle-podman, plain podman run, Quadlet units under systemd, rootless) and whatever the events
 * backend is (file or journald). A conmon wrapper could not wait for the exit (conmon daemonises) and an OCI
 * runtime wrapper never sees it. The daemon runs this as the same user as the containers' podman (root, or
 * the user of a per-user daemon), so it sees exactly those containers.
 *
 * <p>The podman child is restarted (with {@code --since} the last event time, so nothing is missed) when it
 * ends; closing the bridge stops it.
 */
public final class PodmanEventsBridge implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PodmanEventsBridge.class.getName());

    private final List<String> podman;
    private final ExitLedger ledger;
    private final Consumer<ContainerExit> listener;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile Process process;
    private volatile Instant lastEvent;

    /**
     * @param podmanCommand the podman executable and global options, e.g. {@code ["podman"]}
     * @param listener      also told of every exit (after the ledger), e.g. to trigger governance; may be null
     */
    public PodmanEventsBridge(List<String> podmanCommand, ExitLedger ledger, Consumer<ContainerExit> listener) {
        this.podman = List.copyOf(podmanCommand);
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.listener = listener;
        this.lastEvent = Instant.now();
        this.thread = Thread.ofPlatform().daemon().name("podman-events").unstarted(this::run);
    }

    /** Starts following; returns once the first podman child runs (or after 5 s). */
    public PodmanEventsBridge start() throws InterruptedException {
        thread.start();
        started.await(5, TimeUnit.SECONDS);
        return this;
    }

    public ExitLedger ledger() { return ledger; }

    private void run() {
        Duration backoff = Duration.ofMillis(200);
        while (!closed) {
            List<String> cmd = new ArrayList<>(podman);
            cmd.addAll(List.of("events", "--format", "json", "--filter", "type=container", "--filter", "event=died",
                    "--since", lastEvent.minusSeconds(1).toString()));
            try {
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                process = p;
                started.countDown();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        PodmanEventParser.parse(line).ifPresent(this::accept);
                        backoff = Duration.ofMillis(200);
                    }
                }
                p.waitFor();
                if (!closed) LOG.warning("podman events ended (exit " + p.exitValue() + "); restarting");
            } catch (IOException e) {
                started.countDown();
                if (!closed) LOG.log(Level.WARNING, "cannot run " + cmd.get(0) + " events: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : backoff.multipliedBy(2);
        }
    }

    private void accept(ContainerExit exit) {
        if (exit.time().isAfter(lastEvent)) lastEvent = exit.time();
        ledger.record(exit);
        if (listener != null) {
            try {
                listener.accept(exit);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "exit listener failed for " + exit.containerId(), e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        Process p = process;
        if (p != null) p.destroy();
        thread.interrupt();
        thread.join(5000);
        if (p != null && p.isAlive()) p.destroyForcibly();
    }
}

package org.lobstertrap.puzzlepod.daemon.network;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.core.linux.Processes;
import org.lobstertrap.puzzlepod.core.linux.Spawn;

/**
 * Runs {@code nft} inside a network namespace. Used at a container's attach with its init pid ({@link #ofPid});
 * tests use a named namespace ({@code /run/netns/NAME}). Without a user namespace to enter, a fresh thread of
 * this process joins the network namespace ({@code setns}, which a network namespace allows for one thread)
 * and starts {@code nft} from there, and reads the addresses there too: no {@code nsenter} and no {@code ip}
 * process, which the container's first exec would wait for. A user namespace cannot be joined by one thread
 * of a multi-threaded process, so a rootless container's namespace is entered with {@code nsenter}.
 *
 * @param netns  the namespace file, e.g. {@code /proc/PID/ns/net}
 * @param userns the user namespace to enter first, or null: a rootless container's network namespace belongs
 *               to the user namespace podman made for the user, and only there does the user (a per-user
 *               puzzled) hold {@code CAP_NET_ADMIN} over it
 */
public record NetnsNft(Path netns, Path userns) {
    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_OUTPUT = 1 << 20;

    public NetnsNft {
        Objects.requireNonNull(netns, "netns");
    }

    /** A namespace entered without changing the user namespace. */
    public NetnsNft(Path netns) { this(netns, null); }

    /**
     * The network namespace of process {@code pid}, entered through its user namespace when that is not this
     * process's own (rootless podman).
     */
    public static NetnsNft ofPid(long pid) {
        if (pid <= 0) throw new IllegalArgumentException("pid " + pid);
        Path proc = Path.of("/proc", Long.toString(pid), "ns");
        Path userns = proc.resolve("user");
        try {
            if (java.nio.file.Files.readSymbolicLink(userns).equals(java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/ns/user"))))
                userns = null;
        } catch (IOException e) {
            userns = null; // unreadable: the process is gone or not ours; nsenter below reports it
        }
        return new NetnsNft(proc.resolve("net"), userns);
    }

    private List<String> nsenter(String... command) {
        List<String> c = new ArrayList<>(List.of(tool("nsenter")));
        if (userns != null) c.add("--user=" + userns);
        c.add("--net=" + netns);
        c.add(tool(command[0]));
        c.addAll(List.of(command).subList(1, command.length));
        return c;
    }

    /**
     * {@code name} on the {@code PATH}, else in the system directories: a normal user's {@code PATH} (a per-user
     * puzzled) usually lacks {@code /usr/sbin}, where Debian puts {@code nft}. Unfound: the bare name, so the
     * failure names it.
     */
    static String tool(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) for (String d : path.split(":")) if (d.startsWith("/")) dirs.add(d);
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            Path p = Path.of(d, name);
            if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.isExecutable(p)) return p.toString();
        }
        return name;
    }

    /**
     * Applies {@code ruleset} in the namespace ({@code nft -f -}), atomically.
     *
     * @throws NftException when nsenter or nft fails, with nft's error output
     */
    public void apply(NftRuleset ruleset) throws NftException {
        String what = "applying the ruleset in " + netns;
        if (userns == null) inNamespace(what, () -> runHere(List.of(tool("nft"), "-f", "-"), ruleset.text(), what));
        else run(nsenter("nft", "-f", "-"), ruleset.text(), what);
    }

    /** The namespace's {@code inet puzzlepod} table as {@code nft list} prints it. */
    public String list() throws NftException {
        String what = "listing " + netns;
        List<String> nft = List.of(tool("nft"), "list", "table", "inet", "puzzlepod");
        if (userns == null) return inNamespace(what, () -> runHere(nft, "", what));
        return run(nsenter("nft", "list", "table", "inet", "puzzlepod"), "", what);
    }

    /** Work done by a thread inside the namespace. */
    @FunctionalInterface
    private interface InNamespace<T> { T run() throws NftException; }

    /**
     * Runs {@code task} on a new thread that joined the network namespace first; the thread ends with the task,
     * so no thread of this process stays in a container's namespace. Nothing else is created from that thread
     * ({@link Spawn} starts only the child), since threads and children inherit the creating thread's namespace.
     */
    private <T> T inNamespace(String what, InNamespace<T> task) throws NftException {
        FileSyscalls sys = FileSyscalls.linux();
        int fd;
        try {
            fd = sys.open(netns.toString().getBytes(StandardCharsets.UTF_8), FileSyscalls.O_RDONLY | FileSyscalls.O_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new NftException(what + ": cannot open the namespace: " + e.getMessage(), -1, "");
        }
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        try {
            refuseOwnNamespace(sys, fd, what);
            Thread t = Thread.ofPlatform().daemon(true).name("netns " + netns).start(() -> {
                try {
                    Processes.setns(fd, Processes.CLONE_NEWNET);
                    result[0] = task.run();
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            if (!t.join(java.time.Duration.ofSeconds(TIMEOUT_SECONDS + 5))) {
                throw new NftException(what + ": did not finish in " + (TIMEOUT_SECONDS + 5) + " s", -1, "");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException(what + ": interrupted", -1, "");
        } finally {
            try { sys.close(fd); } catch (LinuxException ignored) { /* a read-only namespace file */ }
        }
        switch (failure[0]) {
            case null -> { }
            case NftException e -> throw e;
            case LinuxException e -> throw new NftException(what + ": cannot enter the namespace: " + e.getMessage(), -1, "");
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(failure[0]);
        }
        @SuppressWarnings("unchecked") T r = (T) result[0];
        return r;
    }

    /**
     * A container in this process's own network namespace (host networking, or a pid read before its process
     * entered its namespace) must not get rules meant for it: they would steer and drop the host's traffic.
     */
    private static void refuseOwnNamespace(FileSyscalls sys, int fd, String what) throws NftException {
        FileStat target, own;
        try {
            target = sys.fstat(fd);
            own = sys.fstatat(FileSyscalls.AT_FDCWD, "/proc/thread-self/ns/net".getBytes(StandardCharsets.UTF_8), 0);
        } catch (LinuxException e) {
            throw new NftException(what + ": cannot identify the namespace: " + e.getMessage(), -1, "");
        }
        if (target.dev() == own.dev() && target.ino() == own.ino())
            throw new NftException(what + ": it is the daemon's own network namespace (host networking?); its rules would apply to the host", -1, "");
    }

    /** Runs {@code command} as a child of the calling thread (in its namespaces); its output, or NftException. */
    private static String runHere(List<String> command, String input, String what) throws NftException {
        Spawn.Outcome o;
        try {
            o = Spawn.run(command.getFirst(), command, System.getenv(), input.getBytes(StandardCharsets.UTF_8),
                    (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS), MAX_OUTPUT);
        } catch (LinuxException e) {
            if (e.is(Errno.ETIMEDOUT)) throw new NftException(what + ": " + command.getFirst() + " did not finish in " + TIMEOUT_SECONDS + " s", -1, "");
            throw new NftException(what + ": cannot run " + command.getFirst() + " (is it installed?)", -1, e.getMessage());
        }
        String output = new String(o.output(), StandardCharsets.UTF_8);
        if (o.exitStatus() != 0)
            throw new NftException(what + ": " + String.join(" ", command) + " exited with " + o.exitStatus(), o.exitStatus(), output);
        return output;
    }

    /**
     * The namespace's global-scope IPv4 addresses ({@code ip -4 -o addr show scope global}): a container's address
     * on the bridge, which is the source address its proxied connections and DNS queries arrive from.
     */
    public List<java.net.Inet4Address> globalIpv4Addresses() throws NftException {
        if (userns == null) return inNamespace("listing the addresses of " + netns, NetnsNft::interfaceAddresses);
        String out = run(nsenter("ip", "-4", "-o", "addr", "show", "scope", "global"), "",
                "listing the addresses of " + netns);
        List<java.net.Inet4Address> addresses = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if (!words[i].equals("inet")) continue;
                String cidr = words[i + 1];
                int slash = cidr.indexOf('/');
                try {
                    addresses.add((java.net.Inet4Address) java.net.InetAddress.ofLiteral(slash < 0 ? cidr : cidr.substring(0, slash)));
                } catch (IllegalArgumentException | ClassCastException e) {
                    throw new NftException("unexpected output of ip addr in " + netns, 0, line);
                }
            }
        }
        return addresses;
    }

    /**
     * Checks {@code ruleset} without applying it ({@code nft -c -f -}, in the caller's namespace).
     *
     * @throws NftException with nft's complaint when the ruleset does not parse or validate
     */
    public static void check(NftRuleset ruleset) throws NftException {
        run(List.of(tool("nft"), "-c", "-f", "-"), ruleset.text(), "checking the ruleset");
    }

    private static String run(List<String> command, String input, String what) throws NftException {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(command)).start();
        } catch (IOException e) {
            throw new NftException(what + ": cannot run " + command.getFirst() + " (is it installed?)", -1, e.getMessage());
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // nft exited early; its error output says why
        }
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NftException(what + ": " + command.getFirst() + " did not finish in " + TIMEOUT_SECONDS + " s", -1, "");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NftException(what + ": interrupted", -1, "");
        }
        String stderr = new String(err.join(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0)
            throw new NftException(what + ": " + String.join(" ", command) + " exited with " + p.exitValue(), p.exitValue(), stderr);
        return new String(out.join(), StandardCharsets.UTF_8);
    }

    /**
     * The IPv4 addresses of the calling thread's network namespace other than loopback and link-local ones (what
     * {@code ip -4 addr show scope global} lists). The interface list comes from a socket, which belongs to the
     * namespace of the thread that opens it.
     */
    private static List<java.net.Inet4Address> interfaceAddresses() throws NftException {
        List<java.net.Inet4Address> addresses = new ArrayList<>();
        try {
            var interfaces = java.net.NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                for (java.net.InterfaceAddress a : interfaces.nextElement().getInterfaceAddresses()) {
                    if (a.getAddress() instanceof java.net.Inet4Address v4 && !v4.isLoopbackAddress() && !v4.isLinkLocalAddress()
                            && !addresses.contains(v4))
                        addresses.add(v4);
                }
            }
        } catch (java.net.SocketException e) {
            throw new NftException("cannot list the namespace's interfaces: " + e.getMessage(), -1, "");
        }
        return addresses;
    }

    private static byte[] readAll(java.io.InputStream s) {
        try (s) {
            return s.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}

package org.lobstertrap.puzzlepod.core.linux;

import static org.lobstertrap.puzzlepod.core.linux.Libc.INT;
import static org.lobstertrap.puzzlepod.core.linux.Libc.LONG;
import static org.lobstertrap.puzzlepod.core.linux.Libc.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * AF_UNIX stream sockets, including passing file descriptors (SCM_RIGHTS), which the JDK's socket
 * channels cannot do. Every fd this class creates or receives is close-on-exec. Socket paths are raw
 * bytes; a path starting with a NUL byte names an abstract socket.
 */
public final class UnixSockets {
    /**
     * A received message: the bytes and any file descriptors that came with them.
     *
     * @param data the bytes received (empty at end of stream)
     * @param fds descriptors now open in this process, close-on-exec; the receiver must close them
     * @param fdsTruncated more descriptors were sent than {@code maxFds}; the kernel closed the rest
     */
    public record Message(byte[] data, int[] fds, boolean fdsTruncated) {}

    /** The process on the other end of a connected socket, as the kernel saw it at connect time. */
    public record PeerCredentials(int pid, int uid, int gid) {}

    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1, SCM_RIGHTS = 1, SO_PEERCRED = 17;
    private static final int MSG_CTRUNC = 0x8, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    /** sizeof(struct sockaddr_un) and of its sun_path. */
    private static final int SOCKADDR_UN = 110, SUN_PATH = 108;
    private static final int MSGHDR = 56, CMSGHDR = 16;

    private static final MethodHandle SOCKET = Libc.function("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SOCKETPAIR =
            Libc.function("socketpair", FunctionDescriptor.of(INT, INT, INT, INT, PTR));
    private static final MethodHandle BIND = Libc.function("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle LISTEN = Libc.function("listen", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle ACCEPT4 = Libc.function("accept4", FunctionDescriptor.of(INT, INT, PTR, PTR, INT));
    private static final MethodHandle CONNECT = Libc.function("connect", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle SENDMSG = Libc.function("sendmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
    private static final MethodHandle RECVMSG = Libc.function("recvmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
    private static final MethodHandle GETSOCKOPT =
            Libc.function("getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, PTR));

    private UnixSockets() {}

    /** A new AF_UNIX stream socket. */
    public static int socket() throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) SOCKET.invokeExact(s.capture, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("socket", "AF_UNIX", s.errno());
        return r;
    }

    /** A connected pair of AF_UNIX stream sockets. */
    public static int[] socketpair() throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) SOCKETPAIR.invokeExact(s.capture, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s.small); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("socketpair", "AF_UNIX", s.errno());
        return new int[] {s.small.get(INT, 0), s.small.get(INT, 4)};
    }

    public static void bind(int fd, byte[] path) throws LinuxException {
        Scratch s = Scratch.get();
        int len = sockaddr(s, path, "bind");
        int r;
        try { r = (int) BIND.invokeExact(s.capture, fd, s.path1, len); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("bind", Names.display(path), s.errno());
    }

    public static void listen(int fd, int backlog) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try { r = (int) LISTEN.invokeExact(s.capture, fd, backlog); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("listen", Names.fd(fd), s.errno());
    }

    /** accept4(2) with SOCK_CLOEXEC; blocks until a client connects. */
    public static int accept(int fd) throws LinuxException {
        Scratch s = Scratch.get();
        int r;
        try {
            do r = (int) ACCEPT4.invokeExact(s.capture, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
            while (r < 0 && s.errno() == Errno.EINTR);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("accept4", Names.fd(fd), s.errno());
        return r;
    }

    public static void connect(int fd, byte[] path) throws LinuxException {
        Scratch s = Scratch.get();
        int len = sockaddr(s, path, "connect");
        int r;
        try { r = (int) CONNECT.invokeExact(s.capture, fd, s.path1, len); } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("connect", Names.display(path), s.errno());
    }

    /** Fills {@code struct sockaddr_un} into path1; returns the address length to pass. */
    private static int sockaddr(Scratch s, byte[] path, String call) throws LinuxException {
        boolean abstractName = path.length > 0 && path[0] == 0;
        // a filesystem path needs room for its trailing NUL; an abstract name is exactly its bytes
        if (path.length == 0 || path.length > (abstractName ? SUN_PATH : SUN_PATH - 1))
            throw new LinuxException(call, Names.display(path), path.length == 0 ? Errno.EINVAL : Errno.ENAMETOOLONG);
        MemorySegment addr = s.path1;
        addr.asSlice(0, SOCKADDR_UN).fill((byte) 0);
        addr.set(Libc.SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(path, 0, addr, ValueLayout.JAVA_BYTE, 2, path.length);
        return 2 + path.length + (abstractName ? 0 : 1);
    }

    /**
     * sendmsg(2) of {@code data} with {@code fds} attached (SCM_RIGHTS); returns bytes sent (may be short,
     * the fds go with the first byte). Never raises SIGPIPE: a closed peer gives EPIPE.
     */
    public static long sendWithFds(int fd, byte[] data, int[] fds) throws LinuxException {
        if (fds.length > 0 && data.length == 0)
            throw new IllegalArgumentException("sendWithFds: a stream socket carries fds only with at least one data byte");
        Scratch s = Scratch.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(PTR, 0, buf);
            iov.set(LONG, 8, data.length);
            MemorySegment msg = arena.allocate(MSGHDR, 8);
            msg.set(PTR, 16, iov);
            msg.set(LONG, 24, 1);
            if (fds.length > 0) {
                long space = cmsgSpace(fds.length);
                MemorySegment control = arena.allocate(space, 8);
                control.set(LONG, 0, CMSGHDR + 4L * fds.length);
                control.set(INT, 8, SOL_SOCKET);
                control.set(INT, 12, SCM_RIGHTS);
                for (int i = 0; i < fds.length; i++) control.set(INT, CMSGHDR + 4L * i, fds[i]);
                msg.set(PTR, 32, control);
                msg.set(LONG, 40, space);
            }
            long r;
            try {
                do r = (long) SENDMSG.invokeExact(s.capture, fd, msg, MSG_NOSIGNAL);
                while (r < 0 && s.errno() == Errno.EINTR);
            } catch (Throwable t) { throw Libc.rethrow(t); }
            if (r < 0) throw new LinuxException("sendmsg", Names.fd(fd), s.errno());
            return r;
        }
    }

    /**
     * recvmsg(2) of at most {@code maxBytes} bytes and {@code maxFds} descriptors (MSG_CMSG_CLOEXEC).
     * Blocks until data arrives; empty data means the peer closed the connection.
     */
    public static Message recvWithFds(int fd, int maxBytes, int maxFds) throws LinuxException {
        if (maxBytes <= 0 || maxFds < 0) throw new IllegalArgumentException("recvWithFds: maxBytes must be > 0, maxFds >= 0");
        Scratch s = Scratch.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(maxBytes);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(PTR, 0, buf);
            iov.set(LONG, 8, maxBytes);
            MemorySegment msg = arena.allocate(MSGHDR, 8);
            msg.set(PTR, 16, iov);
            msg.set(LONG, 24, 1);
            // controllen is CMSG_LEN, not CMSG_SPACE: the kernel fits (controllen - 16) / 4 fds, and the
            // padding of CMSG_SPACE would let an odd maxFds receive one fd more than asked for
            long controlLength = maxFds > 0 ? CMSGHDR + 4L * maxFds : 0;
            MemorySegment control = maxFds > 0 ? arena.allocate(cmsgSpace(maxFds), 8) : MemorySegment.NULL;
            msg.set(PTR, 32, control);
            msg.set(LONG, 40, controlLength);
            long r;
            try {
                do r = (long) RECVMSG.invokeExact(s.capture, fd, msg, MSG_CMSG_CLOEXEC);
                while (r < 0 && s.errno() == Errno.EINTR);
            } catch (Throwable t) { throw Libc.rethrow(t); }
            if (r < 0) throw new LinuxException("recvmsg", Names.fd(fd), s.errno());
            int[] fds = receivedFds(control, msg.get(LONG, 40));
            boolean truncated = (msg.get(INT, 48) & MSG_CTRUNC) != 0;
            return new Message(buf.asSlice(0, r).toArray(ValueLayout.JAVA_BYTE), fds, truncated);
        }
    }

    private static int[] receivedFds(MemorySegment control, long controlLength) {
        int[] fds = new int[0];
        long pos = 0;
        while (pos + CMSGHDR <= controlLength) {
            long len = control.get(LONG, pos);
            if (len < CMSGHDR || pos + len > controlLength) break;
            if (control.get(INT, pos + 8) == SOL_SOCKET && control.get(INT, pos + 12) == SCM_RIGHTS) {
                int n = (int) ((len - CMSGHDR) / 4);
                int old = fds.length;
                fds = java.util.Arrays.copyOf(fds, old + n);
                for (int i = 0; i < n; i++) fds[old + i] = control.get(INT, pos + CMSGHDR + 4L * i);
            }
            pos += align8(len);
        }
        return fds;
    }

    /** getsockopt(SO_PEERCRED): pid, uid and gid of the connected peer (struct ucred). */
    public static PeerCredentials peerCredentials(int fd) throws LinuxException {
        Scratch s = Scratch.get();
        MemorySegment cred = s.small;
        MemorySegment len = s.small.asSlice(64, 4);
        len.set(INT, 0, 12);
        int r;
        try { r = (int) GETSOCKOPT.invokeExact(s.capture, fd, SOL_SOCKET, SO_PEERCRED, cred, len); }
        catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("getsockopt", Names.fd(fd) + ", SO_PEERCRED", s.errno());
        return new PeerCredentials(cred.get(INT, 0), cred.get(INT, 4), cred.get(INT, 8));
    }

    private static long cmsgSpace(int fds) { return CMSGHDR + align8(4L * fds); }

    private static long align8(long n) { return (n + 7) & ~7L; }
}

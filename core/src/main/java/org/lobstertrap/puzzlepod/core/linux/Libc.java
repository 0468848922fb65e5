package org.lobstertrap.puzzlepod.core.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one place that binds C library functions. Every handle captures {@code errno} into a
 * caller-supplied segment (the first argument of each handle), because the JVM itself may call into
 * libc between the downcall and a later read of the thread's errno.
 */
final class Libc {
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    /** x86_64 syscall numbers for calls glibc 2.36 has no wrapper for (or whose wrapper hides flags). */
    static final long SYS_GETDENTS64 = 217, SYS_SETNS = 308, SYS_SECCOMP = 317, SYS_PIDFD_SEND_SIGNAL = 424,
            SYS_PIDFD_OPEN = 434, SYS_OPENAT2 = 437, SYS_LANDLOCK_CREATE_RULESET = 444,
            SYS_LANDLOCK_ADD_RULE = 445, SYS_LANDLOCK_RESTRICT_SELF = 446;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Libc() {}

    /** A handle for {@code name} whose first parameter is the errno capture segment. */
    @SuppressWarnings("restricted")
    static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO);
    }

    /** As {@link #function} for a variadic C function; {@code firstVariadic} counts C parameters. */
    @SuppressWarnings("restricted")
    static MethodHandle variadic(String name, FunctionDescriptor descriptor, int firstVariadic) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO,
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    /** {@code long syscall(long nr, long a1..aN)} with N = {@code args}, every argument passed as a long. */
    private static MethodHandle syscall(int args) {
        MemoryLayout[] params = new MemoryLayout[args + 1];
        java.util.Arrays.fill(params, LONG);
        return variadic("syscall", FunctionDescriptor.of(LONG, params), 1);
    }

    /** {@code syscall(nr, a1..aN)} for N = 1..5; each handle is (capture, nr, args...) -> long. */
    static final MethodHandle SYSCALL1 = syscall(1), SYSCALL2 = syscall(2), SYSCALL3 = syscall(3),
            SYSCALL4 = syscall(4), SYSCALL5 = syscall(5);

    /** The errno the last downcall on {@code capture} recorded. */
    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("C library function not found: " + name));
    }

    /** Rethrows what a downcall threw: only unchecked errors can come out of a downcall handle. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException("unexpected checked exception from a native call", t);
    }
}

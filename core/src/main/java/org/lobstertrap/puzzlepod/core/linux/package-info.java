/**
 * The native layer: the Linux system calls the product needs, called through Java FFM
 * ({@code java.lang.foreign}). This is the only package that may use {@link java.lang.foreign.Linker}.
 *
 * <p><b>Why FFM.</b> The JDK's file API cannot do what a branch commit needs: fd-relative calls that
 * never follow a symlink out of the workspace ({@code openat2} with RESOLVE_BENEATH), atomic exchange
 * ({@code renameat2}), overlay whiteouts ({@code mknodat} 0:0), {@code trusted.*} xattrs, mounts,
 * Landlock, seccomp notification, pidfds or fd passing. FFM reaches them without a JNI library to build
 * and ship. Every downcall captures {@code errno} ({@code Linker.Option.captureCallState}) at the call
 * itself, because the JVM may run other native code on the thread before errno could be read later.
 *
 * <p><b>Why raw bytes.</b> Linux file names are byte strings with only '/' and NUL forbidden. Names that
 * are not UTF-8 or contain newlines are legal and must round-trip exactly, so names are {@code byte[]};
 * error messages show them escaped ({@code \xff}, {@code \x0a}). A name containing a NUL byte is refused
 * with EINVAL rather than silently cut short.
 *
 * <p><b>Errors.</b> A failed call throws {@link org.lobstertrap.puzzlepod.core.linux.LinuxException} with
 * the call, its subject and the errno: {@code "openat(a/b): No such file or directory (ENOENT)"};
 * {@code errno()} is for programs. Expected outcomes are results, not exceptions: a missing xattr is
 * {@code null}, a cancelled seccomp notification is {@code Reply.CANCELLED} / empty.
 *
 * <p><b>Allocation.</b> File calls reuse per-thread native buffers (errno capture, two PATH_MAX path
 * buffers, a struct buffer, a 64 KiB listing buffer), so the per-file hot path allocates no native
 * memory. Virtual threads each get their own buffers; prefer platform threads for long native loops.
 *
 * <p><b>Per-thread caveats.</b> Landlock ({@link org.lobstertrap.puzzlepod.core.linux.Landlock}), seccomp
 * filters ({@link org.lobstertrap.puzzlepod.core.linux.SeccompNotify#installFilter}), no_new_privs and
 * {@code setns} change only the CALLING thread (and what it starts later), never the whole JVM. Do such
 * work on a dedicated platform thread: a virtual thread may hop between carrier threads, and a thread
 * from a shared pool would carry the restriction into unrelated work. Threads and processes inherit the
 * namespaces of the thread that creates them: {@link org.lobstertrap.puzzlepod.core.linux.Spawn} starts a
 * command from a thread that joined a namespace without creating anything else there ({@code ProcessBuilder}
 * may also create the JDK's process-reaper thread from it).
 *
 * <p>Struct layouts and syscall numbers are those of x86_64 Linux with glibc; tests check them against
 * the running kernel.
 */
package org.lobstertrap.puzzlepod.core.linux;

package org.lobstertrap.puzzlepod.rego;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs parsing and evaluation so deeply nested input never surfaces as a StackOverflowError: first on
 * the caller's thread; if that stack is too small, once more on a dedicated thread with a
 * {@value #BIG_STACK_BYTES}-byte stack (the work is pure, so re-running is safe); if even that overflows,
 * an {@code eval_cancel_error}.
 */
final class DeepStack {
    static final long BIG_STACK_BYTES = 1L << 30;

    @FunctionalInterface interface Work<T> { T run() throws RegoException; }

    private DeepStack() {}

    static <T> T run(Work<T> work) throws RegoException {
        try {
            return work.run();
        } catch (StackOverflowError e) {
            return onBigStack(work);
        }
    }

    private static <T> T onBigStack(Work<T> work) throws RegoException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try { result.set(work.run()); }
            catch (StackOverflowError e) {
                failure.set(new RegoException(RegoException.CANCEL, "input nested too deeply to evaluate"));
            } catch (Throwable e) { failure.set(e); }
        }, "rego-deep-stack", BIG_STACK_BYTES);
        t.setDaemon(true);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegoException(RegoException.CANCEL, "interrupted");
        }
        Throwable f = failure.get();
        if (f instanceof RegoException re) throw re;
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        return result.get();
    }
}

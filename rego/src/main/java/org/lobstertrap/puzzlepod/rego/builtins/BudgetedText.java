package org.lobstertrap.puzzlepod.rego.builtins;

import org.lobstertrap.puzzlepod.rego.RegoException;

/**
 * The text a regular expression runs over, counting the engine's character reads. Java's matcher
 * backtracks (RE2 does not), so a hostile pattern could run for ages: every few thousand reads this
 * checks the query's deadline and step budget, and past a hard step limit (generous for any linear
 * match) the match fails with an {@code eval_builtin_error}.
 */
final class BudgetedText implements CharSequence {
    /** Reads between budget checks. */
    private static final int CHECK_EVERY = 1 << 14;
    /** Fixed part of the step limit; the limit grows with the text length. */
    static final long BASE_STEPS = 50_000_000L;
    static final long STEPS_PER_CHAR = 2_000L;

    /** Carries a budget failure out of the matcher, which cannot throw checked exceptions. */
    private static final class Stop extends RuntimeException {
        final RegoException cause;
        Stop(RegoException cause) { super(null, null, false, false); this.cause = cause; }
    }

    /** Work to run against this text. */
    interface Work<T> { T run() throws RegoException; }

    private final String text;
    private final BuiltinContext ctx;
    private final String fn;
    private final long limit;
    private long reads;
    private int untilCheck = CHECK_EVERY;

    BudgetedText(String text, BuiltinContext ctx, String fn) {
        this.text = text;
        this.ctx = ctx;
        this.fn = fn;
        this.limit = BASE_STEPS + STEPS_PER_CHAR * text.length();
    }

    /** Runs matching work, turning budget exhaustion and engine stack overflow into Rego errors. */
    <T> T run(Work<T> work) throws RegoException {
        try {
            return work.run();
        } catch (Stop s) {
            throw s.cause;
        } catch (StackOverflowError e) {
            throw RegoException.builtin(fn, "regular expression too complex for an input of " + text.length() + " characters");
        }
    }

    @Override public char charAt(int index) {
        if (--untilCheck == 0) {
            untilCheck = CHECK_EVERY;
            reads += CHECK_EVERY;
            if (reads > limit) throw new Stop(RegoException.builtin(fn, "regular expression exceeded its step limit"));
            try {
                ctx.checkBudget();
            } catch (RegoException e) {
                throw new Stop(e);
            }
        }
        return text.charAt(index);
    }

    @Override public int length() { return text.length(); }
    @Override public CharSequence subSequence(int start, int end) { return text.substring(start, end); }
    @Override public String toString() { return text; }
}

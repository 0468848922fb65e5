package org.lobstertrap.puzzlepod.rego;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Limits and switches for one evaluation. {@code deadline} and {@code stepBudget} bound the work
 * ({@code eval_cancel_error} when exceeded; {@code null}/0 means unbounded); {@code strict} raises
 * builtin errors instead of treating them as undefined; {@code fixedTime} pins {@code time.now_ns}.
 */
public record EvalOptions(Duration deadline, long stepBudget, boolean strict, Optional<Instant> fixedTime) {
    /** No limits, lenient builtin errors, wall-clock time. */
    public static final EvalOptions DEFAULT = new EvalOptions(null, 0, false, Optional.empty());

    public EvalOptions {
        if (stepBudget < 0) throw new IllegalArgumentException("step budget must not be negative: " + stepBudget);
        if (deadline != null && deadline.isNegative()) throw new IllegalArgumentException("deadline must not be negative: " + deadline);
        fixedTime = fixedTime == null ? Optional.empty() : fixedTime;
    }

    public EvalOptions withDeadline(Duration d) { return new EvalOptions(d, stepBudget, strict, fixedTime); }
    public EvalOptions withStepBudget(long s) { return new EvalOptions(deadline, s, strict, fixedTime); }
    public EvalOptions withStrict(boolean s) { return new EvalOptions(deadline, stepBudget, s, fixedTime); }
    public EvalOptions withFixedTime(Instant t) { return new EvalOptions(deadline, stepBudget, strict, Optional.ofNullable(t)); }
}

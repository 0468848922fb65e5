package org.lobstertrap.puzzlepod.rego;

/**
 * Every error the engine reports: parse, compile and evaluation errors, with OPA's error codes
 * ({@code rego_parse_error}, {@code rego_compile_error}, {@code rego_unsafe_var_error},
 * {@code rego_recursion_error}, {@code rego_type_error}, {@code eval_conflict_error},
 * {@code eval_builtin_error}, {@code eval_type_error}, and the engine's own {@code eval_cancel_error}
 * for deadlines and step budgets). {@link #toString()} is OPA's format: {@code file:row: code: message},
 * or {@code code: message} without a location. No other exception type escapes the public API.
 */
public class RegoException extends Exception {
    public static final String PARSE = "rego_parse_error";
    public static final String COMPILE = "rego_compile_error";
    public static final String UNSAFE_VAR = "rego_unsafe_var_error";
    public static final String RECURSION = "rego_recursion_error";
    public static final String TYPE = "rego_type_error";
    public static final String CONFLICT = "eval_conflict_error";
    public static final String BUILTIN = "eval_builtin_error";
    public static final String EVAL_TYPE = "eval_type_error";
    public static final String CANCEL = "eval_cancel_error";

    private final String code;
    private final String detail;
    private final String file;
    private final int row;
    private final int col;

    public RegoException(String code, String message, String file, int row, int col) {
        super(format(code, message, file, row));
        this.code = code;
        this.detail = message;
        this.file = file;
        this.row = row;
        this.col = col;
    }

    public RegoException(String code, String message) { this(code, message, null, 0, 0); }

    /** A builtin failed on its input: {@code eval_builtin_error}, message {@code "name: detail"}. */
    public static RegoException builtin(String builtinName, String detail) {
        return new RegoException(BUILTIN, builtinName + ": " + detail);
    }

    /**
     * A builtin got an operand of the wrong type: {@code eval_type_error}, message like
     * {@code "strings.any_suffix_match: operand 1 must be one of {set, array, string} but got number"}.
     */
    public static RegoException typeError(String builtinName, String detail) {
        return new RegoException(EVAL_TYPE, builtinName + ": " + detail);
    }

    /** A copy with a source location attached (used when the evaluator knows where a call was made). */
    public RegoException at(String file, int row, int col) {
        if (this.file != null) return this;
        return new RegoException(code, detail, file, row, col);
    }

    private static String format(String code, String message, String file, int row) {
        return (file != null ? file + ":" + row + ": " : "") + code + ": " + message;
    }

    public String code() { return code; }
    /** The message without code and location. */
    public String detail() { return detail; }
    public String file() { return file; }
    public int row() { return row; }
    public int col() { return col; }

    @Override public String toString() { return getMessage(); }
}

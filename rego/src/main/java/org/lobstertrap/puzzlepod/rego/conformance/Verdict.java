package org.lobstertrap.puzzlepod.rego.conformance;

/**
 * The outcome of one case. {@code category} is "pass", "skip", or why it failed: compile,
 * unexpected_error, wrong_result, missing_error, wrong_error. {@code messageMatches} tells, for an
 * expected error, whether the message contained {@code want_error} (reported, not gating).
 */
public record Verdict(ConformanceCase testCase, String category, String expected, String got, boolean messageMatches) {
    public boolean passed() { return category.equals("pass"); }
    public boolean skipped() { return category.equals("skip"); }
    public boolean failed() { return !passed() && !skipped(); }

    /** {@code FAIL folder/file :: note :: category :: expected … got …}. */
    public String failLine() {
        return "FAIL " + testCase.folder() + "/" + testCase.file() + " :: " + testCase.note() + " :: " + category
                + " :: expected " + expected + " got " + got;
    }
}

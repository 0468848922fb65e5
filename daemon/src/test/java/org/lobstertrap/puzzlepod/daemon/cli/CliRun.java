package org.lobstertrap.puzzlepod.daemon.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/** One in-process run of puzzle-branch: exit code, stdout, stderr. */
record CliRun(int exit, String out, String err) {
    static CliRun run(Path root, String... args) {
        List<String> all = new ArrayList<>();
        if (root != null) { all.add("--root"); all.add(root.toString()); }
        all.addAll(List.of(args));
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = PuzzleBranchCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(all.toArray(String[]::new));
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** The value of a "key: value" line of the output. */
    String field(String key) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + ": (.*)$").matcher(out);
        if (!m.find()) throw new AssertionError("no \"" + key + ":\" line in output:\n" + out + "\nstderr:\n" + err);
        return m.group(1);
    }

    @Override public String toString() { return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err; }
}

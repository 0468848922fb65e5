package org.lobstertrap.puzzlepod.rego.conformance;

import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * One case of an OPA-format YAML conformance file. {@code wantResult} is null when the case expects an
 * error; an empty list means "undefined". {@code input} is null when absent; {@code inputTerm} (a Rego
 * term) overrides it.
 */
public record ConformanceCase(String folder, String file, String note, String query, List<String> modules,
                              Value data, Value input, String inputTerm, List<Map<String, Value>> wantResult,
                              String wantErrorCode, String wantError, boolean sortBindings, boolean strictError) {
    /** The name tests and reports use: {@code folder/note} (the note alone when it already starts with the folder). */
    public String displayName() { return note.startsWith(folder + "/") ? note : folder + "/" + note; }
}

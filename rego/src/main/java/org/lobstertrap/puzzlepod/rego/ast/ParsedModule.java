package org.lobstertrap.puzzlepod.rego.ast;

import java.util.List;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * A parsed Rego file: package path (without {@code data}), imports and rules, and the METADATA
 * annotation blocks: {@code packageAnnotations} (null when none) and one entry per rule (null when none).
 */
public record ParsedModule(String file, List<String> packagePath, List<Import> imports, List<Rule> rules,
                           Value packageAnnotations, List<Value> ruleAnnotations) {}

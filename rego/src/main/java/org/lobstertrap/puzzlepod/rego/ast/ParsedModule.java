package org.lobstertrap.puzzlepod.rego.ast;

import java.util.List;

/** A parsed Rego file: package path (without {@code data}), imports and rules. */
public record ParsedModule(String file, List<String> packagePath, List<Import> imports, List<Rule> rules) {}

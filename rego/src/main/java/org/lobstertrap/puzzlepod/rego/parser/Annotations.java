package org.lobstertrap.puzzlepod.rego.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.lexer.Lexer;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * METADATA comment blocks: {@code # METADATA} followed by YAML in comment lines, directly above a
 * package or rule. Authors and organizations written as strings become objects
 * ({@code "Name <mail>"} → {@code {"name": …, "email": …}}).
 */
final class Annotations {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern AUTHOR = Pattern.compile("^(.*?)\\s*<([^>]*)>\\s*$");

    private Annotations() {}

    /** The annotations of the block ending on the row above {@code row}, or null. */
    static Value before(List<Lexer.Comment> comments, int row, String file) throws RegoException {
        int end = -1;
        for (int i = 0; i < comments.size(); i++) if (comments.get(i).row() == row - 1) end = i;
        if (end < 0) return null;
        int start = end;
        while (start > 0 && comments.get(start - 1).row() == comments.get(start).row() - 1) start--;
        int header = -1;
        for (int i = start; i <= end; i++) if (comments.get(i).text().strip().equals("METADATA")) header = i;
        if (header < 0) return null;
        StringBuilder yaml = new StringBuilder();
        for (int i = header + 1; i <= end; i++) {
            String t = comments.get(i).text();
            yaml.append(t.startsWith(" ") ? t.substring(1) : t).append('\n');
        }
        JsonNode n;
        try {
            n = yaml.toString().isBlank() ? YAML.createObjectNode() : YAML.readTree(yaml.toString());
        } catch (Exception e) {
            int r = comments.get(header).row();
            throw new RegoException(RegoException.PARSE, "invalid METADATA block: " + e.getMessage().lines().findFirst().orElse(""), file, r, 1);
        }
        if (!n.isObject()) {
            throw new RegoException(RegoException.PARSE, "invalid METADATA block: expected a YAML mapping", file, comments.get(header).row(), 1);
        }
        ObjectValue.Builder b = ObjectValue.builder();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            Value v = toValue(e.getValue());
            if ((e.getKey().equals("authors") || e.getKey().equals("organizations")) && v instanceof ArrayValue a) {
                List<Value> people = new ArrayList<>();
                for (Value p : a.asList()) people.add(e.getKey().equals("authors") ? author(p) : p);
                v = ArrayValue.of(people);
            }
            b.put(e.getKey(), v);
        }
        return b.build();
    }

    private static Value author(Value p) {
        if (!(p instanceof StringValue s)) return p;
        Matcher m = AUTHOR.matcher(s.value());
        ObjectValue.Builder b = ObjectValue.builder();
        if (m.matches()) {
            if (!m.group(1).isEmpty()) b.put("name", StringValue.of(m.group(1)));
            b.put("email", StringValue.of(m.group(2)));
        } else b.put("name", StringValue.of(s.value().strip()));
        return b.build();
    }

    private static Value toValue(JsonNode n) {
        if (n == null || n.isNull()) return NullValue.INSTANCE;
        if (n.isBoolean()) return BooleanValue.of(n.booleanValue());
        if (n.isIntegralNumber()) return NumberValue.of(n.bigIntegerValue());
        if (n.isNumber()) return NumberValue.of(n.decimalValue());
        if (n.isTextual()) return StringValue.of(n.textValue());
        if (n.isArray()) {
            List<Value> l = new ArrayList<>();
            for (JsonNode x : n) l.add(toValue(x));
            return ArrayValue.of(l);
        }
        ObjectValue.Builder b = ObjectValue.builder();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            b.put(e.getKey(), toValue(e.getValue()));
        }
        return b.build();
    }
}

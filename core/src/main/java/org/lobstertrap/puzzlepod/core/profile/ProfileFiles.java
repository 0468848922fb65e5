package org.lobstertrap.puzzlepod.core.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.math.BigInteger;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads one profile file into a validated (but not yet inherited) JSON tree: size, encoding and YAML
 * hardening first, then the JSON schema, then the checks a schema cannot phrase well (paths, exec
 * entries, domains, name = file name).
 */
final class ProfileFiles {
    /** Profiles are small; anything bigger is a mistake or an attack. */
    static final int MAX_FILE_BYTES = 256 * 1024;
    /** Aliases are legitimate in YAML but a handful suffices; this stops "billion laughs". */
    static final int MAX_ALIASES = 20;
    static final int MAX_NESTING = 20;
    static final String SUFFIX = ".yaml";

    private static final Schema SCHEMA = loadSchema();
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private ProfileFiles() {}

    private static LoaderOptions loaderOptions() {
        LoaderOptions lo = new LoaderOptions();
        lo.setMaxAliasesForCollections(MAX_ALIASES);
        lo.setNestingDepthLimit(MAX_NESTING);
        lo.setCodePointLimit(MAX_FILE_BYTES);
        lo.setAllowDuplicateKeys(false);
        lo.setAllowRecursiveKeys(false);
        return lo;
    }

    /** SnakeYAML's plain Java tree to JSON; keys must be strings. */
    private static JsonNode toJson(String label, Object o) throws ProfileException {
        var f = JsonNodeFactory.instance;
        return switch (o) {
            case null -> f.nullNode();
            case Map<?, ?> m -> {
                ObjectNode n = f.objectNode();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k))
                        throw new ProfileException(ProfileException.Code.SYNTAX, label + ": key " + e.getKey() + " is not a string");
                    n.set(k, toJson(label, e.getValue()));
                }
                yield n;
            }
            case List<?> l -> {
                var a = f.arrayNode();
                for (Object x : l) a.add(toJson(label, x));
                yield a;
            }
            case String str -> f.textNode(str);
            case Boolean b -> f.booleanNode(b);
            case Integer i -> f.numberNode(i);
            case Long l -> f.numberNode(l);
            case BigInteger b -> f.numberNode(b);
            case Double d -> f.numberNode(d);
            // timestamps, binary and the like: keep as text so the schema reports a type error on numeric keys
            default -> f.textNode(String.valueOf(o));
        };
    }

    private static Schema loadSchema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        try (InputStream in = ProfileFiles.class.getResourceAsStream("profile.schema.json")) {
            if (in == null) throw new IllegalStateException("profile.schema.json is missing from the classpath");
            return registry.getSchema(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The profile name a file must carry: its name without {@code .yaml}. */
    static String nameOf(Path file) {
        String f = file.getFileName().toString();
        return f.endsWith(SUFFIX) ? f.substring(0, f.length() - SUFFIX.length()) : f;
    }

    /** Reads, parses and validates one file; the tree is exactly what the file says (no defaults). */
    static ObjectNode read(Path file) throws ProfileException {
        String label = file.getFileName().toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES)
                throw new ProfileException(ProfileException.Code.IO, label + ": file is " + size
                        + " bytes, more than the " + MAX_FILE_BYTES + " a profile may have");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ProfileException(ProfileException.Code.IO, label + ": file not found");
        } catch (IOException e) {
            throw new ProfileException(ProfileException.Code.IO, label + ": cannot read: " + e.getMessage());
        }
        return parse(label, nameOf(file), bytes);
    }

    /** Parses and validates profile text; {@code label} names it in messages, {@code expectedName} is the file's name. */
    static ObjectNode parse(String label, String expectedName, byte[] bytes) throws ProfileException {
        if (bytes.length > MAX_FILE_BYTES)
            throw new ProfileException(ProfileException.Code.IO, label + ": file is " + bytes.length
                    + " bytes, more than the " + MAX_FILE_BYTES + " a profile may have");
        String text = decodeUtf8(label, bytes);
        rejectTabIndentation(label, text);
        JsonNode tree;
        try {
            // SnakeYAML directly: Jackson's YAML reader does not expand aliases, SnakeYAML does (within limits)
            Object doc = new Yaml(new SafeConstructor(loaderOptions()), new Representer(new DumperOptions()),
                    new DumperOptions(), loaderOptions()).load(text);
            tree = toJson(label, doc);
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ": ";
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new ProfileException(ProfileException.Code.SYNTAX, label + ": " + where + "invalid YAML: " + firstLine(problem));
        } catch (YAMLException e) {
            throw new ProfileException(ProfileException.Code.SYNTAX, label + ": invalid YAML: " + firstLine(e.getMessage()));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull())
            throw new ProfileException(ProfileException.Code.SCHEMA, label + ": file is empty");
        if (!(tree instanceof ObjectNode obj))
            throw new ProfileException(ProfileException.Code.SCHEMA, label + ": top level must be a mapping of keys, not " + kind(tree));

        List<String> problems = new ArrayList<>();
        for (Error e : SCHEMA.validate(obj)) problems.add(label + ": " + describe(e));
        if (!problems.isEmpty()) throw new ProfileException(ProfileException.Code.SCHEMA, problems);

        checkPaths(label, obj, problems);
        checkExec(label, obj, "exec_allowlist", problems);
        checkExec(label, obj, "exec_denylist", problems);
        checkDomains(label, obj, problems);
        if (!problems.isEmpty()) throw new ProfileException(ProfileException.Code.SCHEMA, problems);

        String name = obj.get("name").asText();
        if (!name.equals(expectedName))
            throw new ProfileException(ProfileException.Code.NAME_MISMATCH, label + ": name: '" + name
                    + "' does not match the file name (expected '" + expectedName + "')");
        if (obj.has("extends") && obj.get("extends").asText().equals(name))
            throw new ProfileException(ProfileException.Code.INHERITANCE, label + ": extends: a profile cannot extend itself");
        return obj;
    }

    private static String decodeUtf8(String label, byte[] bytes) throws ProfileException {
        var dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            String s = dec.decode(in).toString();
            if (s.startsWith("\uFEFF")) s = s.substring(1);
            if (s.indexOf('\0') >= 0)
                throw new ProfileException(ProfileException.Code.IO, label + ": contains a NUL byte (not a text file)");
            return s;
        } catch (CharacterCodingException e) {
            throw new ProfileException(ProfileException.Code.IO, label + ": not valid UTF-8 (bad byte at offset " + in.position() + ")");
        }
    }

    private static void rejectTabIndentation(String label, String text) throws ProfileException {
        int line = 1;
        boolean atIndent = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') { line++; atIndent = true; }
            else if (atIndent && c == '\t')
                throw new ProfileException(ProfileException.Code.SYNTAX, label + ": line " + line
                        + ": tab character in indentation (YAML indents with spaces only)");
            else if (c != ' ' && c != '-') atIndent = false;
        }
    }

    /** One schema error in "key.path: problem" form. */
    private static String describe(Error e) {
        String at = keyPath(e.getInstanceLocation());
        JsonNode schemaNode = e.getSchemaNode();
        JsonNode value = e.getInstanceNode();
        return switch (e.getKeyword()) {
            case "additionalProperties" -> join(at, e.getProperty()) + ": unknown key";
            case "required" -> join(at, e.getProperty()) + ": required key is missing";
            case "type" -> at + ": must be " + article(schemaNode.asText()) + " but is " + kind(value);
            case "minimum" -> at + ": must be at least " + schemaNode.asText() + " (is " + value.asText() + ")";
            case "maximum" -> at + ": must be at most " + schemaNode.asText() + " (is " + value.asText() + ")";
            case "enum" -> at + ": must be one of " + enumList(schemaNode) + " (is " + shown(value) + ")";
            case "pattern" -> at + ": must be lowercase letters, digits and '-', starting with a letter or digit, at most 63 characters (is " + shown(value) + ")";
            case "maxItems" -> at + ": at most " + schemaNode.asText() + " entries allowed";
            case "minLength" -> at + ": must not be empty";
            case "maxLength" -> at + ": longer than " + schemaNode.asText() + " characters";
            default -> at + ": " + stripLocation(e.getMessage());
        };
    }

    /** "filesystem.read_allowlist[2]" from the validator's path elements (its text form varies by path type). */
    private static String keyPath(com.networknt.schema.path.NodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object el = path.getElement(i);
            if (el instanceof Integer idx) sb.append('[').append(idx).append(']');
            else sb.append(sb.isEmpty() ? "" : ".").append(el);
        }
        return sb.toString();
    }

    private static String join(String parent, String key) {
        if (key == null) return parent.isEmpty() ? "(top level)" : parent;
        return parent.isEmpty() ? key : parent + "." + key;
    }

    private static String stripLocation(String msg) {
        int i = msg.indexOf(": ");
        return msg.startsWith("$") && i > 0 ? msg.substring(i + 2) : msg;
    }

    private static String enumList(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return String.join(", ", out);
    }

    private static String article(String type) {
        return switch (type) {
            case "integer" -> "an integer";
            case "object" -> "a mapping";
            case "array" -> "a list";
            default -> "a " + type;
        };
    }

    static String kind(JsonNode n) {
        if (n == null || n.isNull()) return "null";
        if (n.isObject()) return "a mapping";
        if (n.isArray()) return "a list";
        if (n.isIntegralNumber()) return "an integer";
        if (n.isNumber()) return "a decimal number";
        if (n.isBoolean()) return "a boolean";
        return "a string";
    }

    private static String shown(JsonNode n) {
        return n == null ? "null" : n.isTextual() ? "'" + n.asText() + "'" : n.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static void checkPaths(String label, ObjectNode obj, List<String> problems) {
        JsonNode fs = obj.get("filesystem");
        if (fs == null) return;
        for (Iterator<Map.Entry<String, JsonNode>> it = fs.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            int i = 0;
            for (JsonNode p : e.getValue()) {
                String problem = pathProblem(p.asText());
                if (problem != null) problems.add(label + ": filesystem." + e.getKey() + "[" + i + "]: " + problem);
                i++;
            }
        }
    }

    /** Why a container path is unacceptable, or null. */
    static String pathProblem(String p) {
        if (p.indexOf('\0') >= 0) return "path contains a NUL character";
        if (!p.startsWith("/")) return "'" + p + "' is not an absolute path";
        if (p.equals("/")) return null;
        if (p.endsWith("/")) return "'" + p + "' is not normalised (trailing '/')";
        for (String seg : p.substring(1).split("/", -1)) {
            if (seg.equals("..")) return "'" + p + "' contains '..'";
            if (seg.isEmpty() || seg.equals(".")) return "'" + p + "' is not normalised (empty or '.' segment)";
        }
        return null;
    }

    private static void checkExec(String label, ObjectNode obj, String key, List<String> problems) {
        JsonNode list = obj.get(key);
        if (list == null) return;
        int i = 0;
        for (JsonNode n : list) {
            String s = n.asText();
            String problem;
            if (s.startsWith("/")) problem = pathProblem(s);
            else if (s.contains("/")) problem = "'" + s + "' must be an absolute path or a bare program name";
            else if (s.equals(".") || s.equals("..") || s.indexOf('\0') >= 0) problem = "'" + s + "' is not a program name";
            else problem = null;
            if (problem != null) problems.add(label + ": " + key + "[" + i + "]: " + problem);
            i++;
        }
    }

    private static void checkDomains(String label, ObjectNode obj, List<String> problems) {
        JsonNode net = obj.get("network");
        if (net == null) return;
        JsonNode list = net.get("allowed_domains");
        if (list == null) return;
        int i = 0;
        for (JsonNode n : list) {
            String problem = domainProblem(n.asText());
            if (problem != null) problems.add(label + ": network.allowed_domains[" + i + "]: " + problem);
            i++;
        }
        JsonNode mode = net.get("mode");
        if (mode != null && mode.asText().equals("Blocked") && !list.isEmpty())
            problems.add(label + ": network.allowed_domains: must be empty when network.mode is Blocked");
    }

    /** Why an allowed-domain entry is unacceptable, or null: {@code host}, {@code *.host}, optional {@code :port}. */
    static String domainProblem(String entry) {
        String host = entry;
        int colon = entry.lastIndexOf(':');
        if (colon >= 0) {
            String port = entry.substring(colon + 1);
            host = entry.substring(0, colon);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9'))
                return "'" + entry + "' has an invalid port '" + port + "'";
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) return "'" + entry + "' has port " + p + " outside 1-65535";
        }
        if (host.startsWith("*.")) host = host.substring(2);
        if (host.contains("*")) return "'" + entry + "': '*' is only allowed as the whole leftmost label ('*.example.com')";
        if (host.isEmpty() || host.length() > 253) return "'" + entry + "' is not a valid domain name";
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) return "'" + entry + "' is not a fully qualified domain name (needs a dot)";
        for (String l : labels)
            if (!LABEL.matcher(l).matches())
                return "'" + entry + "' is not a valid domain name (labels are lowercase letters, digits and inner '-')";
        return null;
    }
}

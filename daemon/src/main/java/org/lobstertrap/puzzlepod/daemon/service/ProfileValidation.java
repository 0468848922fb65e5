package org.lobstertrap.puzzlepod.daemon.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.lobstertrap.puzzlepod.core.profile.ProfileException;
import org.lobstertrap.puzzlepod.core.profile.ProfileRepository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ValidateProfile}: checks a profile text with the same loader the daemon uses, resolving
 * {@code extends} against the installed profiles. The text is written, with copies of the installed
 * profiles, into a private temporary directory that is removed afterwards; nothing installed changes.
 */
final class ProfileValidation {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private ProfileValidation() {}

    static ObjectNode validate(String yaml, Path installed) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode errors = JsonNodeFactory.instance.arrayNode();
        String name = null;
        try {
            JsonNode tree = YAML.readTree(yaml);
            if (tree != null && tree.path("name").isTextual()) name = tree.path("name").asText();
        } catch (IOException | RuntimeException e) {
            errors.add("not valid YAML: " + clip(e.getMessage()));
        }
        if (errors.isEmpty() && (name == null || !NAME.matcher(name).matches())) {
            errors.add("the profile needs a \"name\" of 1 to 64 characters from a-z, 0-9, '-'");
            name = null;
        }
        if (errors.isEmpty()) {
            Path tmp = null;
            try {
                tmp = Files.createTempDirectory("puzzled-profile-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                if (Files.isDirectory(installed)) {
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(installed, "*.yaml")) {
                        for (Path f : ds) {
                            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || f.getFileName().toString().equals(name + ".yaml")) continue;
                            Files.copy(f, tmp.resolve(f.getFileName()));
                        }
                    }
                }
                Path file = tmp.resolve(name + ".yaml");
                Files.write(file, yaml.getBytes(StandardCharsets.UTF_8));
                ProfileRepository.validateFile(file);
            } catch (ProfileException e) {
                for (String p : e.problems()) errors.add(clip(p.replace(tmp.toString() + "/", "")));
            } catch (IOException e) {
                errors.add("cannot validate: " + clip(e.getMessage()));
            } finally {
                if (tmp != null) removeQuietly(tmp);
            }
        }
        out.put("valid", errors.isEmpty());
        out.put("name", name);
        out.set("errors", errors);
        return out;
    }

    private static String clip(String s) {
        if (s == null) return "";
        return s.length() > 180 ? s.substring(0, 180) + "…" : s;
    }

    private static void removeQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}

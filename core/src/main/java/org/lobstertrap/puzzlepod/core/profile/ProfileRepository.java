package org.lobstertrap.puzzlepod.core.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The profiles of one directory ({@code NAME.yaml} files), loaded and resolved all at once. Thread-safe:
 * readers see one consistent snapshot; {@link #reload()} swaps in a new one only when every file in the
 * directory is valid, so a bad edit never takes away the profiles already loaded.
 */
public final class ProfileRepository {
    private final Path directory;
    private volatile Map<String, Profile> profiles;

    private ProfileRepository(Path directory, Map<String, Profile> profiles) {
        this.directory = directory;
        this.profiles = profiles;
    }

    /** Loads every {@code *.yaml} in {@code directory}; fails with every problem of every file. */
    public static ProfileRepository load(Path directory) throws ProfileException {
        return new ProfileRepository(directory, loadAll(directory));
    }

    /** Re-reads the directory; on failure the previous profiles stay in place and the error is thrown. */
    public void reload() throws ProfileException {
        profiles = loadAll(directory);
    }

    /** The directory this repository reads. */
    public Path directory() { return directory; }

    /** Profile names, sorted. */
    public List<String> names() { return List.copyOf(profiles.keySet()); }

    /** All resolved profiles, sorted by name. */
    public List<Profile> list() { return List.copyOf(profiles.values()); }

    /** The resolved profile of that name, if any. */
    public Optional<Profile> find(String name) { return Optional.ofNullable(profiles.get(name)); }

    /** The resolved profile of that name; {@link ProfileException.Code#NOT_FOUND} when there is none. */
    public Profile get(String name) throws ProfileException {
        Profile p = profiles.get(name);
        if (p == null) throw new ProfileException(ProfileException.Code.NOT_FOUND,
                "no profile named '" + name + "' in " + directory.getFileName() + " (have: " + String.join(", ", profiles.keySet()) + ")");
        return p;
    }

    /**
     * Validates one file and resolves it; parents are looked up as {@code PARENT.yaml} next to it.
     * Nothing is cached.
     */
    public static Profile validateFile(Path file) throws ProfileException {
        Path dir = file.toAbsolutePath().getParent();
        ObjectNode self = ProfileFiles.read(file);
        String selfName = ProfileFiles.nameOf(file);
        Map<String, ObjectNode> cache = new TreeMap<>();
        cache.put(selfName, self);
        List<ProfileException> failures = new ArrayList<>();
        Profile p;
        try {
            p = ProfileResolver.resolve(selfName, name -> {
            if (cache.containsKey(name)) return cache.get(name);
            Path f = dir.resolve(name + ProfileFiles.SUFFIX);
            if (!Files.isRegularFile(f)) return null;
            try {
                ObjectNode n = ProfileFiles.read(f);
                cache.put(name, n);
                return n;
            } catch (ProfileException e) {
                failures.add(e);
                return null;
            }
            });
        } catch (ProfileException e) {
            // a parent that exists but is broken: report the parent's own problem, not "not found"
            if (!failures.isEmpty()) throw failures.getFirst();
            throw e;
        }
        return p;
    }

    private static Map<String, Profile> loadAll(Path directory) throws ProfileException {
        Map<String, ObjectNode> raw = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        ProfileException.Code firstCode = null;
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "*" + ProfileFiles.SUFFIX)) {
            for (Path f : ds) if (Files.isRegularFile(f)) files.add(f);
        } catch (IOException e) {
            throw new ProfileException(ProfileException.Code.IO, directory + ": cannot list profiles: " + e.getMessage());
        }
        files.sort(null);
        java.util.Set<String> invalid = new java.util.HashSet<>();
        for (Path f : files) {
            try {
                raw.put(ProfileFiles.nameOf(f), ProfileFiles.read(f));
            } catch (ProfileException e) {
                invalid.add(ProfileFiles.nameOf(f));
                if (firstCode == null) firstCode = e.code();
                problems.addAll(e.problems());
            }
        }
        Map<String, Profile> out = new TreeMap<>();
        for (String name : raw.keySet()) {
            try {
                out.put(name, ProfileResolver.resolve(name, raw::get, invalid));
            } catch (ProfileException e) {
                if (firstCode == null) firstCode = e.code();
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) throw new ProfileException(firstCode, problems);
        return java.util.Collections.unmodifiableMap(out);
    }
}

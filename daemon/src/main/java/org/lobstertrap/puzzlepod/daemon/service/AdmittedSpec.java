package org.lobstertrap.puzzlepod.daemon.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.client.spec.BaseExposure;
import org.lobstertrap.puzzlepod.client.spec.HostPaths;
import org.lobstertrap.puzzlepod.client.spec.SpecFormatException;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;

/**
 * The admission check of a container's final OCI spec ({@code BUNDLE/config.json}, as the runtime is about to
 * create it): refused when any mount other than the branch's own overlay at the workspace, or a writable root,
 * exposes the branch's base writable ({@link BaseExposure}). Fails closed: a spec that is missing, unreadable,
 * too large or malformed refuses the container too.
 */
final class AdmittedSpec {
    private AdmittedSpec() {}

    /** Larger specs are refused; podman's are tens of kilobytes. */
    static final int MAX_BYTES = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * Checks the spec in {@code bundle} for a container of a branch of {@code base} whose overlay (upper
     * {@code upper}, work {@code work}) is mounted at {@code workspace}. Throws {@link ApiException}:
     * InvalidArgument for a spec that is missing or malformed, Internal when it cannot be read, AccessDenied
     * when it exposes the base.
     */
    static void check(String bundle, Path base, String workspace, Path upper, Path work) {
        if (bundle == null || bundle.isEmpty()) {
            throw ApiException.invalid("the runtime named no bundle, so the container's spec cannot be checked");
        }
        String why = HostPaths.problem(bundle);
        if (why != null) throw ApiException.invalid("the bundle " + HostPaths.quote(bundle) + " is not usable: " + why);
        JsonNode spec = parse(read(Path.of(bundle, "config.json")), bundle);
        String realBase = real(base.toString());
        String ws = HostPaths.trimSlash(workspace);
        String realUpper = real(upper.toString()), realWork = real(work.toString());
        List<String> exposures;
        try {
            var mounts = BaseExposure.mounts(spec);
            exposures = BaseExposure.of(spec, realBase, i -> isBranchOverlay(mounts.get(i), i, ws, realBase, realUpper, realWork),
                    AdmittedSpec::real);
        } catch (SpecFormatException e) {
            throw ApiException.invalid("the container's spec in " + HostPaths.quote(bundle) + " is malformed: " + e.getMessage());
        }
        if (!exposures.isEmpty()) throw ApiException.denied(BaseExposure.refusal(realBase, exposures));
    }

    /** The branch's own mount: an overlay at the workspace of exactly the base over the branch's upper and work dirs. */
    private static boolean isBranchOverlay(JsonNode mount, int i, String workspace, String base, String upper, String work) {
        try {
            if (!mount.path("type").asText("").equals("overlay")) return false;
            if (!HostPaths.trimSlash(mount.path("destination").asText("")).equals(workspace)) return false;
            List<String> options = BaseExposure.options(mount, i);
            return same(BaseExposure.values(options, "lowerdir="), base) && same(BaseExposure.values(options, "upperdir="), upper)
                    && same(BaseExposure.values(options, "workdir="), work);
        } catch (SpecFormatException e) {
            return false; // not the branch's; the exposure check reports the malformed options
        }
    }

    private static boolean same(List<String> dirs, String expected) {
        return dirs.size() == 1 && HostPaths.problem(dirs.getFirst()) == null && real(dirs.getFirst()).equals(expected);
    }

    private static byte[] read(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) throw ApiException.invalid("the container's spec " + HostPaths.quote(file.toString()) + " is not a regular file");
            if (a.size() > MAX_BYTES) throw tooLarge(file);
            try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                 InputStream in = Channels.newInputStream(ch)) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) throw tooLarge(file);
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw ApiException.invalid("the container's spec " + HostPaths.quote(file.toString()) + " does not exist");
        } catch (IOException e) {
            throw new ApiException(ApiError.Internal, "cannot read the container's spec " + HostPaths.quote(file.toString()) + ": " + e, e);
        }
    }

    private static ApiException tooLarge(Path file) {
        return ApiException.invalid("the container's spec " + HostPaths.quote(file.toString()) + " is larger than " + MAX_BYTES + " bytes");
    }

    private static JsonNode parse(byte[] bytes, String bundle) {
        try {
            JsonNode spec = JSON.readTree(bytes);
            if (spec == null || !spec.isObject()) {
                throw ApiException.invalid("the container's spec in " + HostPaths.quote(bundle) + " is not a JSON object");
            }
            return spec;
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("the container's spec in " + HostPaths.quote(bundle) + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(ApiError.Internal, "cannot parse the container's spec in " + HostPaths.quote(bundle) + ": " + e, e);
        }
    }

    /** The real path of a host path; a missing path stays as it is (it cannot be the base, which exists). */
    private static String real(String path) {
        try {
            return Path.of(path).toRealPath().toString();
        } catch (NoSuchFileException e) {
            return path;
        } catch (IOException | RuntimeException e) {
            throw new ApiException(ApiError.Internal, "cannot resolve " + HostPaths.quote(path) + " in the container's spec: " + e.getMessage(), e);
        }
    }
}

package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.client.Annotations;

/**
 * The spec rewrite on specs captured from podman 4.3.1 (a precreate hook that printed its stdin), e.g.
 * {@code podman run --annotation org.lobstertrap.puzzlepod.profile=standard -v /srv/agent-project:/workspace …}.
 */
class SpecRewriterTest {
    static final String BASE = "/srv/agent-project";
    static final SpecRewriter.PathResolver AS_IS = p -> p;
    final SpecRewriter rewriter = new SpecRewriter();

    static ObjectNode fixture(String name) throws Exception {
        try (InputStream in = SpecRewriterTest.class.getResourceAsStream("/specs/" + name)) {
            if (in == null) throw new IOException("fixture " + name + " is missing from src/test/resources/specs");
            return (ObjectNode) HookJson.parseObject(in.readAllBytes(), name);
        }
    }

    static BranchInfo branch(String base, String overlay) {
        return new BranchInfo("b-1", "standard", base, "/workspace", "ready", "/var/lib/puzzled/branches/b-1/upper",
                "/var/lib/puzzled/branches/b-1/work", overlay);
    }

    static GovernanceAnnotations annotations(JsonNode spec) throws HookException {
        return GovernanceAnnotations.from(spec.get("annotations"));
    }

    @Test
    void theWorkspaceBindBecomesAnOverlayInPlaceAndNothingElseChanges() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-workspace-bind.json");
        ObjectNode original = spec.deepCopy();
        WorkspacePlan plan = rewriter.plan(spec, annotations(spec), AS_IS);
        assertThat(plan.base()).isEqualTo(BASE);
        assertThat(plan.mountIndex()).isZero();
        assertThat(plan.keptOptions()).containsExactly("rprivate");
        assertThat(plan.droppedOptions()).containsExactly("rw", "rbind");

        RewrittenSpec out = rewriter.rewrite(spec, plan, branch(BASE, "kernel"));
        assertThat(spec).as("the input is not modified").isEqualTo(original);
        assertThat(HookJson.write(out.spec().get("mounts").get(0))).isEqualTo("""
                {"destination":"/workspace","type":"overlay","source":"overlay","options":["lowerdir=/srv/agent-project",\
                "upperdir=/var/lib/puzzled/branches/b-1/upper","workdir=/var/lib/puzzled/branches/b-1/work","rprivate"]}""");
        assertThat(out.spec().get("annotations").get(Annotations.BRANCH).asText()).isEqualTo("b-1");

        // everything else is exactly as podman wrote it
        ObjectNode expected = original.deepCopy();
        ((ArrayNode) expected.get("mounts")).set(0, out.spec().get("mounts").get(0));
        ((ObjectNode) expected.get("annotations")).put(Annotations.BRANCH, "b-1");
        assertThat(out.spec()).isEqualTo(expected);
        assertThat(out.reasons()).anySatisfy(r -> assertThat(r).contains("now an overlay over branch b-1"))
                .anySatisfy(r -> assertThat(r).contains("dropped: rw,rbind"));
    }

    @Test
    void anOverlayVolumeAtTheWorkspaceIsReplacedByTheBranchAndItsLowerDirIsTheBase() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-overlay-volume.json");
        WorkspacePlan plan = rewriter.plan(spec, annotations(spec), AS_IS);
        assertThat(plan.base()).isEqualTo(BASE);
        JsonNode mount = rewriter.rewrite(spec, plan, branch(BASE, "kernel")).spec().get("mounts").get(plan.mountIndex());
        assertThat(mount.get("source").asText()).isEqualTo("overlay");
        assertThat(mount.get("options").toString()).contains("upperdir=/var/lib/puzzled/branches/b-1/upper")
                .doesNotContain("agent-project.branch").contains("\"private\"");
    }

    @Test
    void aReadWriteBindOfAParentOfTheBaseIsRefused() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-parent-bind.json");
        assertThatThrownBy(() -> rewriter.plan(spec, annotations(spec), AS_IS))
                .isInstanceOfSatisfying(HookException.class, e -> {
                    assertThat(e.error()).isEqualTo(HookError.SPEC_REFUSED);
                    assertThat(e.getMessage()).contains("outside its branch").contains("\"/srv\" read-write at \"/host-srv\"");
                });
    }

    @Test
    void readOnlyBindsOfTheBaseItsParentsAndChildrenAreFineReadWriteOnesAreNot() throws Exception {
        for (String source : List.of(BASE, "/srv", "/", BASE + "/sub")) {
            ObjectNode spec = withExtraBind(fixture("podman-4.3.1-workspace-bind.json"), source, "ro");
            assertThat(rewriter.plan(spec, annotations(spec), AS_IS).base()).isEqualTo(BASE);
            ObjectNode rw = withExtraBind(fixture("podman-4.3.1-workspace-bind.json"), source, "rw");
            assertThatThrownBy(() -> rewriter.plan(rw, annotations(rw), AS_IS)).as(source)
                    .isInstanceOfSatisfying(HookException.class, e -> assertThat(e.error()).isEqualTo(HookError.SPEC_REFUSED));
        }
        ObjectNode sibling = withExtraBind(fixture("podman-4.3.1-workspace-bind.json"), BASE + "-other", "rw");
        assertThat(rewriter.plan(sibling, annotations(sibling), AS_IS).base()).as("a sibling with a common name prefix").isEqualTo(BASE);
    }

    @Test
    void symlinksAreComparedByTheirRealPath() throws Exception {
        ObjectNode spec = withExtraBind(fixture("podman-4.3.1-workspace-bind.json"), "/srv/link-to-project", "rw");
        SpecRewriter.PathResolver links = p -> p.equals("/srv/link-to-project") ? BASE : p;
        assertThatThrownBy(() -> rewriter.plan(spec, annotations(spec), links)).isInstanceOf(HookException.class);
    }

    @Test
    void anotherOverlayWritingIntoTheBaseIsRefused() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-workspace-bind.json");
        ObjectNode m = ((ArrayNode) spec.get("mounts")).addObject();
        m.put("destination", "/scratch").put("type", "overlay").put("source", "overlay");
        m.putArray("options").add("lowerdir=/usr").add("upperdir=" + BASE + "/.up").add("workdir=/tmp/w");
        assertThatThrownBy(() -> rewriter.plan(spec, annotations(spec), AS_IS))
                .hasMessageContaining("writes its overlay into \"/srv/agent-project/.up\"");
    }

    @Test
    void theBaseAnnotationAddsAnOverlayWhenNothingIsMountedAtTheWorkspace() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-annotated-base.json");
        GovernanceAnnotations a = annotations(spec);
        assertThat(a.onExit()).contains("rollback");
        WorkspacePlan plan = rewriter.plan(spec, a, AS_IS);
        assertThat(plan.mountIndex()).isEqualTo(-1);
        assertThat(plan.base()).isEqualTo(BASE);
        ArrayNode mounts = (ArrayNode) rewriter.rewrite(spec, plan, branch(BASE, "kernel")).spec().get("mounts");
        assertThat(mounts).hasSize(spec.get("mounts").size() + 1);
        JsonNode added = mounts.get(mounts.size() - 1);
        assertThat(added.get("destination").asText()).isEqualTo("/workspace");
        assertThat(added.get("type").asText()).isEqualTo("overlay");
    }

    @Test
    void anAddedWorkspaceGoesBeforeMountsNestedInIt() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-annotated-base.json");
        ObjectNode nested = ((ArrayNode) spec.get("mounts")).insertObject(0);
        nested.put("destination", "/workspace/.cache").put("type", "tmpfs").put("source", "tmpfs");
        WorkspacePlan plan = rewriter.plan(spec, annotations(spec), AS_IS);
        JsonNode mounts = rewriter.rewrite(spec, plan, branch(BASE, "kernel")).spec().get("mounts");
        assertThat(mounts.get(0).get("destination").asText()).isEqualTo("/workspace");
        assertThat(mounts.get(1).get("destination").asText()).isEqualTo("/workspace/.cache");
    }

    @Test
    void theBaseAnnotationWinsOverTheBindSource() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-workspace-bind.json");
        ((ObjectNode) spec.get("annotations")).put(Annotations.BASE, "/srv/other-project");
        WorkspacePlan plan = rewriter.plan(spec, annotations(spec), AS_IS);
        assertThat(plan.base()).isEqualTo("/srv/other-project");
        assertThat(plan.mountIndex()).isZero();
    }

    @Test
    void noWorkspaceMountAndNoBaseAnnotationIsRefusedWithAHint() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-annotated-base.json");
        ((ObjectNode) spec.get("annotations")).remove(Annotations.BASE);
        assertThatThrownBy(() -> rewriter.plan(spec, annotations(spec), AS_IS))
                .isInstanceOfSatisfying(HookException.class, e -> {
                    assertThat(e.error()).isEqualTo(HookError.SPEC_REFUSED);
                    assertThat(e.getMessage()).contains("nothing to govern").contains("-v DIR:/workspace");
                });
    }

    @Test
    void aCustomWorkspacePathIsHonoured() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-workspace-bind.json");
        ((ObjectNode) spec.get("annotations")).put(Annotations.WORKSPACE, "/code");
        assertThatThrownBy(() -> rewriter.plan(spec, annotations(spec), AS_IS)).hasMessageContaining("nothing to govern");
        ((ObjectNode) spec.get("mounts").get(0)).put("destination", "/code/");
        assertThat(rewriter.plan(spec, annotations(spec), AS_IS).mountIndex()).isZero();
    }

    @Test
    void twoMountsAtTheWorkspaceAreRefused() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-workspace-bind.json");
        ObjectNode m = ((ArrayNode) spec.get("mounts")).addObject();
        m.put("destination", "/workspace").put("type", "tmpfs").put("source", "tmpfs");
        assertThatThrownBy(() -> rewriter.plan(spec, annotations(spec), AS_IS)).hasMessageContaining("two mounts at the workspace");
    }

    @Test
    void aWorkspaceThatIsNotADirectoryBindIsRefused() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-workspace-bind.json");
        ObjectNode m = (ObjectNode) spec.get("mounts").get(0);
        m.put("type", "tmpfs").put("source", "tmpfs");
        m.putArray("options").add("rw");
        assertThatThrownBy(() -> rewriter.plan(spec, annotations(spec), AS_IS)).hasMessageContaining("of type \"tmpfs\"");
    }

    @Test
    void aWritableRootFileSystemInsideTheBaseIsRefused() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-workspace-bind.json");
        ((ObjectNode) spec.get("root")).put("path", BASE + "/rootfs");
        assertThatThrownBy(() -> rewriter.plan(spec, annotations(spec), AS_IS)).hasMessageContaining("root file system");
        ((ObjectNode) spec.get("root")).put("readonly", true);
        assertThat(rewriter.plan(spec, annotations(spec), AS_IS).base()).isEqualTo(BASE);
    }

    @Test
    void pathsOverlayOptionsCannotCarryAreRefused() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-workspace-bind.json");
        ((ObjectNode) spec.get("mounts").get(0)).put("source", "/srv/a,upperdir=/etc");
        assertThatThrownBy(() -> rewriter.plan(spec, annotations(spec), AS_IS)).hasMessageContaining("contains ','");
        ObjectNode ok = fixture("podman-4.3.1-workspace-bind.json");
        WorkspacePlan plan = rewriter.plan(ok, annotations(ok), AS_IS);
        BranchInfo bad = new BranchInfo("b-1", "standard", BASE, "/workspace", "ready", "/var/up:per", "/var/work", "kernel");
        assertThatThrownBy(() -> rewriter.rewrite(ok, plan, bad)).hasMessageContaining("contains ':'");
    }

    @Test
    void theOverlayKindDecidesTheOptionsAndFuseIsRefused() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-workspace-bind.json");
        WorkspacePlan plan = rewriter.plan(spec, annotations(spec), AS_IS);
        assertThat(rewriter.rewrite(spec, plan, branch(BASE, "userxattr")).spec().get("mounts").get(0).get("options").toString())
                .contains("\"userxattr\"");
        assertThatThrownBy(() -> rewriter.rewrite(spec, plan, branch(BASE, "fuse")))
                .isInstanceOfSatisfying(HookException.class, e -> assertThat(e.getMessage()).contains("fuse-overlayfs"));
    }

    @Test
    void aBranchOfAnotherBaseIsRefused() throws Exception {
        ObjectNode spec = fixture("podman-4.3.1-workspace-bind.json");
        WorkspacePlan plan = rewriter.plan(spec, annotations(spec), AS_IS);
        assertThatThrownBy(() -> rewriter.rewrite(spec, plan, branch("/srv/elsewhere", "kernel")))
                .hasMessageContaining("is of the base \"/srv/elsewhere\"");
    }

    @Test
    void extensionsRunAfterTheMountAndMayChangeAnything() throws Exception {
        SpecExtension shim = (spec, plan, branch, reasons) -> {
            ArrayNode args = (ArrayNode) spec.with("process").get("args");
            args.insert(0, "/.puzzlepod/puzzle-init");
            reasons.add("init shim");
        };
        SpecRewriter withShim = new SpecRewriter(List.of(shim));
        ObjectNode spec = fixture("podman-4.3.1-workspace-bind.json");
        RewrittenSpec out = withShim.rewrite(spec, withShim.plan(spec, annotations(spec), AS_IS), branch(BASE, "kernel"));
        assertThat(out.spec().get("process").get("args").get(0).asText()).isEqualTo("/.puzzlepod/puzzle-init");
        assertThat(out.reasons()).last().isEqualTo("init shim");
    }

    @Test
    void malformedSpecsAreBadInput() throws Exception {
        GovernanceAnnotations a = GovernanceAnnotations.from(fixture("podman-4.3.1-workspace-bind.json").get("annotations"));
        List<String> bad = List.of("{\"mounts\":{}}", "{\"mounts\":[1]}", "{\"mounts\":[{\"type\":\"bind\"}]}",
                "{\"mounts\":[{\"destination\":\"/workspace\",\"type\":\"bind\",\"source\":\"relative\"}]}",
                "{\"mounts\":[{\"destination\":\"/workspace\",\"type\":\"bind\",\"source\":\"/srv/p\"},"
                        + "{\"destination\":\"/x\",\"options\":\"ro\"}]}");
        List<HookError> errors = new ArrayList<>();
        for (String s : bad) {
            try {
                rewriter.plan(HookJson.parseObject(s.getBytes(), "spec"), a, AS_IS);
            } catch (HookException e) {
                errors.add(e.error());
            }
        }
        assertThat(errors).hasSize(bad.size()).containsOnly(HookError.BAD_INPUT);
    }

    @Test
    void numbersAndKeyOrderSurviveTheRoundTrip() throws Exception {
        String json = "{\"b\":1,\"a\":{\"value\":18446744073709551615,\"f\":0.1000000000000000055511151231257827},\"c\":[]}";
        assertThat(HookJson.write(HookJson.parseObject(json.getBytes(), "x"))).isEqualTo(json);
    }

    private static ObjectNode withExtraBind(ObjectNode spec, String source, String mode) {
        ObjectNode m = ((ArrayNode) spec.get("mounts")).addObject();
        m.put("destination", "/extra").put("type", "bind").put("source", source);
        m.putArray("options").add(mode).add("rprivate").add("rbind");
        return spec;
    }
}

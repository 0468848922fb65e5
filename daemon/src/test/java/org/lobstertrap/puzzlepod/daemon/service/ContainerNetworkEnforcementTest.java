package org.lobstertrap.puzzlepod.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.ROOT;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.network.ContainerNetworks;
import org.lobstertrap.puzzlepod.daemon.network.GatedNetwork;

/**
 * AttachGovernance applies the profile's network mode in the container's real network namespace (a process
 * in a fresh netns stands in for the container): Blocked gets the loopback-only ruleset; a Gated container
 * whose namespace cannot be served (no address on the bridge) is refused, so createRuntime would abort it.
 */
class ContainerNetworkEnforcementTest {
    @TempDir Path tmp;
    ServiceHarness h;
    Process netns;

    @AfterEach void close() throws Exception {
        if (h != null) h.close();
        if (netns != null) { netns.destroyForcibly(); netns.waitFor(10, TimeUnit.SECONDS); }
    }

    /** A process alone in a new network namespace (only loopback, down). */
    private long processInNewNetns() throws Exception {
        netns = new ProcessBuilder("unshare", "--net", "sleep", "120").start();
        Path ns = Path.of("/proc/" + netns.pid() + "/ns/net");
        Path own = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
        for (int i = 0; i < 250 && Files.readSymbolicLink(ns).equals(own); i++) Thread.sleep(20);  // until unshare ran
        assertThat(Files.readSymbolicLink(ns)).as("the stand-in has its own netns").isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
        return netns.pid();
    }

    private static String nftList(long pid) throws Exception {
        Process p = new ProcessBuilder("nsenter", "--net=/proc/" + pid + "/ns/net", "nft", "list", "ruleset").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    private void openWithNetworks() throws Exception {
        h = ServiceHarness.open(tmp);
        Path resolv = Files.writeString(tmp.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        // ephemeral ports: the test must not depend on the product's fixed ones being free
        h.service.containerNetworks(new ContainerNetworks(() -> GatedNetwork.start(
                (Inet4Address) InetAddress.ofLiteral("10.88.0.1"), 0, 0, resolv, h.service.networkAuditSink())));
    }

    @Test void aBlockedProfileGetsTheLoopbackOnlyRulesetInTheContainersNetns() throws Exception {
        openWithNetworks();
        long pid = processInNewNetns();
        h.create(ROOT, "restricted", "{\"id\":\"blocked\"}");
        JsonNode b = ServiceHarness.JSON.readTree(h.service.attachGovernance(ROOT, "blocked",
                "{\"container_id\":\"" + "a".repeat(64) + "\",\"pid\":" + pid + "}"));
        assertThat(b.get("state").asText()).isEqualTo("active");
        String rules = nftList(pid);
        assertThat(rules).contains("table inet puzzlepod").contains("drop");
        JsonNode attached = null;
        for (JsonNode e : h.audit("blocked")) if (e.get("type").asText().equals("branch.attached")) attached = e.get("data");
        assertThat(attached).isNotNull();
        assertThat(attached.get("network").asText()).isEqualTo("blocked");
        assertThat(nftList(ProcessHandle.current().pid())).as("the host's ruleset is untouched").doesNotContain("puzzlepod");
    }

    @Test void aGatedContainerThatCannotBeServedIsRefused() throws Exception {
        openWithNetworks();
        long pid = processInNewNetns();  // no IPv4 address on podman's bridge: the proxy cannot tell it apart
        h.create(ROOT, "standard", "{\"id\":\"gated\"}");
        assertThatThrownBy(() -> h.service.attachGovernance(ROOT, "gated", "{\"container_id\":\"" + "b".repeat(64) + "\",\"pid\":" + pid + "}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ApiError.Unavailable);
                    assertThat(e.getMessage()).contains("Gated").contains("refusing to let it run");
                });
        assertThat(h.inspect("gated").get("state").asText()).as("nothing attached").isEqualTo("ready");
        assertThat(h.auditTypes("gated")).contains("network.refused").doesNotContain("branch.attached");
    }
}

package org.lobstertrap.puzzlepod.daemon.hooksocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.dbus.ArgumentLimits;

class HookProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordingApi api = new RecordingApi();
    private final HookProtocol protocol = new HookProtocol(api);
    private static final Caller ROOT = new Caller(0, 0), NOBODY = new Caller(65534, 0);

    private JsonNode handle(String line, Caller c) throws Exception {
        String out = protocol.handle(line.getBytes(StandardCharsets.UTF_8), c);
        assertThat(out).doesNotContain("\n");
        return JSON.readTree(out);
    }

    private void assertError(JsonNode response, String code, String messagePart) {
        assertThat(response.has("ok")).as(response.toString()).isFalse();
        assertThat(response.path("error").path("code").asText()).isEqualTo(code);
        assertThat(response.path("error").path("name").asText()).isEqualTo("org.lobstertrap.PuzzlePod1.Error." + code);
        assertThat(response.path("error").path("message").asText()).contains(messagePart);
    }

    @Test
    void each_operation_reaches_the_api_with_the_caller_and_its_arguments() throws Exception {
        JsonNode r = handle("{\"op\":\"CreateBranch\",\"profile\":\"standard\",\"base\":\"/srv/p\",\"options\":\"{\\\"on_exit\\\":\\\"commit\\\"}\"}", ROOT);
        assertThat(r.path("ok").path("method").asText()).isEqualTo("CreateBranch");
        handle("{\"op\":\"InspectBranch\",\"id\":\"b1\"}", ROOT);
        handle("{\"op\":\"ShowProfile\",\"name\":\"standard\"}", ROOT);
        handle("{\"op\":\"DiffBranch\",\"id\":\"b1\"}", ROOT);
        handle("{\"op\":\"CommitBranch\",\"id\":\"b1\"}", ROOT);
        handle("{\"op\":\"RollbackBranch\",\"id\":\"b1\",\"reason\":\"no\"}", ROOT);
        handle("{\"op\":\"TriggerGovernance\",\"id\":\"b1\",\"event\":\"{\\\"exit_code\\\":3}\"}", NOBODY);
        handle("{\"op\":\"WaitBranch\",\"id\":\"b1\",\"timeout_ms\":99999999999}", ROOT);
        assertThat(api.calls).containsExactly(
                "CreateBranch(0; standard; /srv/p; {\"on_exit\":\"commit\"})",
                "InspectBranch(0; b1)", "ShowProfile(0; standard)", "DiffBranch(0; b1)", "CommitBranch(0; b1)",
                "RollbackBranch(0; b1; no)", "TriggerGovernance(65534; b1; {\"exit_code\":3})",
                "WaitBranch(0; b1; " + ArgumentLimits.MAX_WAIT_MILLIS + ")");
    }

    @Test
    void malformed_lines_get_a_clear_error_and_reach_nothing() throws Exception {
        assertError(handle("not json", ROOT), "InvalidArgument", "not JSON");
        assertError(handle("", ROOT), "InvalidArgument", "one JSON object per line");
        assertError(handle("[1,2]", ROOT), "InvalidArgument", "one JSON object per line");
        assertError(handle("{\"id\":\"b1\"}", ROOT), "InvalidArgument", "no \"op\"");
        assertError(handle("{\"op\":\"ReloadPolicy\"}", ROOT), "InvalidArgument", "unknown op \"ReloadPolicy\"");
        assertError(handle("{\"op\":\"InspectBranch\"}", ROOT), "InvalidArgument", "id is missing");
        assertError(handle("{\"op\":\"InspectBranch\",\"id\":7}", ROOT), "InvalidArgument", "id must be a string");
        assertError(handle("{\"op\":\"InspectBranch\",\"id\":\"b\",\"x\":1}", ROOT), "InvalidArgument", "unknown argument \"x\"");
        assertError(handle("{\"op\":\"TriggerGovernance\",\"id\":\"b\",\"event\":{}}", ROOT), "InvalidArgument", "sent as a string");
        assertError(handle("{\"op\":\"WaitBranch\",\"id\":\"b\",\"timeout_ms\":-1}", ROOT), "InvalidArgument", "timeout_ms");
        assertError(handle("{\"op\":\"WaitBranch\",\"id\":\"b\",\"timeout_ms\":\"5\"}", ROOT), "InvalidArgument", "timeout_ms");
        assertThat(api.calls).isEmpty();
    }

    @Test
    void arguments_over_the_dbus_limits_are_refused_before_the_service() throws Exception {
        assertError(handle("{\"op\":\"InspectBranch\",\"id\":\"" + "a".repeat(65) + "\"}", ROOT), "InvalidArgument", "id is too long");
        assertError(handle("{\"op\":\"RollbackBranch\",\"id\":\"b\",\"reason\":\"" + "r".repeat(1025) + "\"}", ROOT),
                "InvalidArgument", "reason is too long");
        assertError(handle("{\"op\":\"CreateBranch\",\"profile\":\"p\",\"base\":\"/" + "d".repeat(5000) + "\",\"options\":\"\"}", ROOT),
                "InvalidArgument", "base is too large");
        byte[] huge = ("{\"op\":\"InspectBranch\",\"id\":\"" + "x".repeat(HookProtocol.MAX_LINE_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertError(JSON.readTree(protocol.handle(huge, ROOT)), "InvalidArgument", "request line is too large");
        assertThat(api.calls).isEmpty();
    }

    @Test
    void a_pretty_printed_result_stays_on_one_line_and_keeps_its_value() throws Exception {
        JsonNode r = handle("{\"op\":\"ShowProfile\",\"name\":\"pretty\"}", ROOT);
        assertThat(r.path("ok").path("a").asText()).isEqualTo("x\ny");
        assertThat(r.path("ok").path("b").asInt()).isEqualTo(1);
    }

    @Test
    void service_errors_keep_their_code_and_bugs_become_internal() throws Exception {
        assertError(handle("{\"op\":\"InspectBranch\",\"id\":\"root-owned\"}", NOBODY), "AccessDenied", "belongs to uid 0");
        assertError(handle("{\"op\":\"DiffBranch\",\"id\":\"missing\"}", ROOT), "NotFound", "no branch missing");
        assertError(handle("{\"op\":\"WaitBranch\",\"id\":\"explodes\",\"timeout_ms\":1}", ROOT), "Internal", "IllegalStateException");
        assertThat(handle("{\"op\":\"InspectBranch\",\"id\":\"root-owned\"}", ROOT).path("ok").path("uid").asInt()).isZero();
    }
}

package org.lobstertrap.puzzlepod.daemon.api;

/**
 * What puzzled does, independent of the transport: the D-Bus object ({@code Manager1}) and the hook socket
 * both delegate here with the {@link Caller} they authenticated. Method for method the same as
 * {@link org.lobstertrap.puzzlepod.client.Manager1}; arguments and results are the JSON strings described
 * in {@code client/API.md}; an empty string means "no options". Every method validates every argument
 * (lengths, shapes, ranges) and throws {@link ApiException} with a code; nothing else escapes.
 */
public interface ManagerApi {
    String createBranch(Caller caller, String profile, String base, String optionsJson);

    String inspectBranch(Caller caller, String id);

    String listBranches(Caller caller, String filterJson);

    String diffBranch(Caller caller, String id);

    String commitBranch(Caller caller, String id);

    String rollbackBranch(Caller caller, String id, String reason);

    String approveBranch(Caller caller, String id, String comment);

    String rejectBranch(Caller caller, String id, String reason);

    String attachGovernance(Caller caller, String id, String containerJson);

    String triggerGovernance(Caller caller, String id, String eventJson);

    /** Blocks up to {@code timeoutMillis} (the service caps it) until the branch is decided. */
    String waitBranch(Caller caller, String id, long timeoutMillis);

    String reloadPolicy(Caller caller);

    String queryAuditEvents(Caller caller, String queryJson);

    String verifyAudit(Caller caller);

    String listProfiles(Caller caller);

    String showProfile(Caller caller, String name);

    String validateProfile(Caller caller, String yaml);

    String testPolicy(Caller caller, String changesetJson, String profile);

    String status(Caller caller);
}

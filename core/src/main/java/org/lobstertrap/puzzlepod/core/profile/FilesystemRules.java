package org.lobstertrap.puzzlepod.core.profile;

import java.util.List;

/** Container paths the agent may read, may write, and may never touch (the denylist wins). */
public record FilesystemRules(List<String> readAllowlist, List<String> writeAllowlist, List<String> denylist) {
    public FilesystemRules {
        readAllowlist = List.copyOf(readAllowlist);
        writeAllowlist = List.copyOf(writeAllowlist);
        denylist = List.copyOf(denylist);
    }
}

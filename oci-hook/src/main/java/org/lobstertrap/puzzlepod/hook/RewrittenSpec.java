package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The spec the precreate stage hands back to podman, and what was changed in it, in words.
 *
 * @param spec the new spec (a copy; the input is not modified)
 * @param reasons one sentence per change
 */
public record RewrittenSpec(ObjectNode spec, List<String> reasons) {
    public RewrittenSpec {
        reasons = List.copyOf(reasons);
    }
}

package org.lobstertrap.puzzlepod.core.profile;

import java.util.List;

/**
 * Network mode and, for {@link NetworkMode#Gated}, the destinations allowed: {@code host},
 * {@code *.host} (any subdomain) or either with {@code :port}.
 */
public record NetworkRules(NetworkMode mode, List<String> allowedDomains) {
    public NetworkRules { allowedDomains = List.copyOf(allowedDomains); }
}

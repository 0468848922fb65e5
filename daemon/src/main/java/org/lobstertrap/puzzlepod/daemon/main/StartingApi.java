package org.lobstertrap.puzzlepod.daemon.main;

import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.PartialManagerApi;

/**
 * What the bus object answers between taking the name and the service being open (recovery may take a
 * while): {@code Unavailable} for every call, so a client retries instead of seeing "no such object".
 */
final class StartingApi extends PartialManagerApi {
    @Override
    protected ApiException unserved(String method) {
        return new ApiException(ApiError.Unavailable, "puzzled is starting (recovering branches and loading policies); retry in a moment");
    }
}

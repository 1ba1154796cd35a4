package dev.berth.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A network interface to create in {@code zone} (the provider picks the subnet its settings name for
 * that zone). {@code clientToken} makes the call idempotent, as for volumes.
 */
public record NetworkInterfaceRequest(String zone, Map<String, String> tags, String clientToken) {

    public NetworkInterfaceRequest {
        Objects.requireNonNull(zone, "zone");
        tags = Map.copyOf(tags);
        if (clientToken == null || clientToken.isEmpty() || clientToken.length() > VolumeRequest.MAX_CLIENT_TOKEN_LENGTH) {
            throw new IllegalArgumentException("client token must have 1 to 64 characters, got '" + clientToken + "'");
        }
    }
}

package dev.berth.spi;

import java.util.Map;
import java.util.Optional;

/** Volumes that carry all these tags, in one zone or in any. */
public record VolumeQuery(Map<String, String> tags, Optional<String> zone) {

    public VolumeQuery {
        tags = Map.copyOf(tags);
    }
}

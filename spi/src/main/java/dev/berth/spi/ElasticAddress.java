package dev.berth.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An Elastic IP: its allocation, its public address, and where it is associated now (instance and
 * association id), as a describe call saw it (describes may lag behind writes).
 */
public record ElasticAddress(
        String allocationId,
        String publicIp,
        Optional<String> instanceId,
        Optional<String> associationId,
        Map<String, String> tags) {

    public ElasticAddress {
        Objects.requireNonNull(allocationId, "allocationId");
        Objects.requireNonNull(publicIp, "publicIp");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(associationId, "associationId");
        tags = Map.copyOf(tags);
    }

    public boolean associatedWith(String instance) {
        return instanceId.filter(instance::equals).isPresent();
    }
}

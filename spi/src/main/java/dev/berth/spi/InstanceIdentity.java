package dev.berth.spi;

import java.util.Objects;
import java.util.Optional;

/** This instance as the cloud names it. */
public record InstanceIdentity(
        String instanceId,
        String zone,
        String region,
        Optional<String> groupName,
        String instanceType,
        Optional<String> privateIp,
        Optional<String> publicIp) {

    public InstanceIdentity {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(groupName, "groupName");
        Objects.requireNonNull(instanceType, "instanceType");
        Objects.requireNonNull(privateIp, "privateIp");
        Objects.requireNonNull(publicIp, "publicIp");
    }
}

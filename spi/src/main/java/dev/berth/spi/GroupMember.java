package dev.berth.spi;

/** One member of the autoscaling group. */
public record GroupMember(String instanceId, String zone, LifecycleState lifecycleState, boolean healthy) {
}

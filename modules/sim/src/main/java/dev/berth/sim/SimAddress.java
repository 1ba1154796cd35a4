package dev.berth.sim;

import java.util.Map;
import java.util.TreeMap;

/** A simulated Elastic IP: its association over time (describe calls answer as of a moment in the past). */
final class SimAddress {
    /** Where an address is associated: the instance and the association's id. */
    record Association(String instanceId, String associationId) {
    }

    final String allocationId;
    final String publicIp;
    final long createdAt;
    final Map<String, String> tags = new TreeMap<>();
    /** null while unassociated. */
    final Timeline<Association> association = new Timeline<>();

    SimAddress(String allocationId, String publicIp, long createdAt) {
        this.allocationId = allocationId;
        this.publicIp = publicIp;
        this.createdAt = createdAt;
    }

    Association now() {
        return association.now();
    }
}

package dev.berth.sim;

import dev.berth.spi.NetworkInterface;
import java.util.Map;
import java.util.TreeMap;

/** A simulated network interface: its attachment state machine over time (attaching, attached, detaching, none). */
final class SimInterface {
    final String id;
    final String zone;
    final String privateIp;
    final long createdAt;
    final Map<String, String> tags = new TreeMap<>();
    /** null while detached. */
    final Timeline<NetworkInterface.Attachment> attachment = new Timeline<>();

    SimInterface(String id, String zone, String privateIp, long createdAt) {
        this.id = id;
        this.zone = zone;
        this.privateIp = privateIp;
        this.createdAt = createdAt;
    }

    NetworkInterface.Attachment now() {
        return attachment.now();
    }
}

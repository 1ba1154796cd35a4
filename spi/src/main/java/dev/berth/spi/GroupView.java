package dev.berth.spi;

import java.util.List;

/** The autoscaling group: its desired capacity, its zones and its members. */
public record GroupView(String name, int desiredCapacity, List<String> zones, List<GroupMember> members) {

    public GroupView {
        zones = List.copyOf(zones);
        members = List.copyOf(members);
        if (desiredCapacity < 0) {
            throw new IllegalArgumentException("desired capacity of group " + name + " is negative: " + desiredCapacity);
        }
    }
}

package dev.berth.core.claim;

import dev.berth.spi.BerthException;
import java.util.Locale;

/** What an instance does when every slot is held by a live instance. */
public enum FullPolicy {
    /** Wait (bounded) for a slot to become free, then exit with the Full outcome. */
    WAIT,
    /** Tell the group this instance is unhealthy, so that it is replaced. */
    MARK_UNHEALTHY,
    /** Terminate this instance, keeping the group's desired capacity. */
    TERMINATE_SELF;

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static FullPolicy parse(String value) {
        for (var p : values()) {
            if (p.configName().equals(value)) {
                return p;
            }
        }
        throw new BerthException("full policy '" + value + "' is unknown: use wait, mark-unhealthy or terminate-self");
    }
}

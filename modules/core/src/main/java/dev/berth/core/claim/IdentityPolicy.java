package dev.berth.core.claim;

import dev.berth.spi.BerthException;
import java.util.Locale;

/**
 * How a slot's identity comes back onto a new disk: {@code AUTO} restores it from the
 * encrypted backup; {@code MANUAL} never does by itself and stops with the command to run.
 */
public enum IdentityPolicy {
    AUTO, MANUAL;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IdentityPolicy parse(String value) {
        for (var p : values()) {
            if (p.configName().equals(value)) {
                return p;
            }
        }
        throw new BerthException("identity policy '" + value + "' is unknown: use auto or manual");
    }
}

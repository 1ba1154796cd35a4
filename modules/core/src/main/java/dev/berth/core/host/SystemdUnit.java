package dev.berth.core.host;

import dev.berth.spi.BerthException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Stops the workload's systemd unit, bounded: the keeper's and the bare-metal holder's first step in letting go. */
public final class SystemdUnit {
    private SystemdUnit() {
    }

    /** {@code systemctl stop unit} within {@code boundSeconds}; nothing when {@code unit} is null. */
    public static void stop(String unit, int boundSeconds) {
        if (unit == null) {
            return;
        }
        try {
            var process = new ProcessBuilder("systemctl", "stop", unit).redirectErrorStream(true).start();
            if (!process.waitFor(boundSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BerthException("systemctl stop " + unit + " did not finish in " + boundSeconds + " s: the"
                        + " workload still runs, so the slot is not released; stop it by hand");
            }
            if (process.exitValue() != 0) {
                throw new BerthException("systemctl stop " + unit + " failed (exit " + process.exitValue() + "): "
                        + new String(process.getInputStream().readAllBytes()).strip()
                        + "; the slot is not released while the workload may run");
            }
        } catch (IOException e) {
            throw new BerthException("could not run systemctl to stop " + unit + " (" + e.getMessage()
                    + "); the slot is not released while the workload may run");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("interrupted while stopping " + unit);
        }
    }
}

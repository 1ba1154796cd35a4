package dev.berth.spi;

/** The machine state of an instance (EC2's instance state). */
public enum InstanceState {
    PENDING, RUNNING, STOPPING, STOPPED, SHUTTING_DOWN, TERMINATED;

    /** Whether the machine may still run a workload or hold a volume. */
    public boolean mayStillRun() {
        return this != TERMINATED;
    }
}

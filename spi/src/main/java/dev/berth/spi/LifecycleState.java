package dev.berth.spi;

/** An autoscaling group member's lifecycle state, as Auto Scaling names them. */
public enum LifecycleState {
    PENDING("Pending"),
    PENDING_WAIT("Pending:Wait"),
    PENDING_PROCEED("Pending:Proceed"),
    IN_SERVICE("InService"),
    STANDBY("Standby"),
    ENTERING_STANDBY("EnteringStandby"),
    DETACHING("Detaching"),
    DETACHED("Detached"),
    TERMINATING("Terminating"),
    TERMINATING_WAIT("Terminating:Wait"),
    TERMINATING_PROCEED("Terminating:Proceed"),
    TERMINATED("Terminated"),
    WARMED("Warmed"),
    UNKNOWN("Unknown");

    private final String awsName;

    LifecycleState(String awsName) {
        this.awsName = awsName;
    }

    public String awsName() {
        return awsName;
    }

    /** Parses Auto Scaling's name ("Terminating:Wait"); unknown names map to {@link #UNKNOWN}. */
    public static LifecycleState fromAwsName(String name) {
        for (var state : values()) {
            if (state.awsName.equalsIgnoreCase(name)) {
                return state;
            }
        }
        if (name != null && name.startsWith("Warmed")) {
            return WARMED;
        }
        return UNKNOWN;
    }

    /** On its way out: a holder in this state is still alive until it lets go of its slot. */
    public boolean isTerminating() {
        return this == TERMINATING || this == TERMINATING_WAIT || this == TERMINATING_PROCEED;
    }

    public boolean isTerminated() {
        return this == TERMINATED;
    }
}

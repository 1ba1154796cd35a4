package dev.berth.cli;

/** The exit codes of every berth command. */
final class ExitCodes {
    /** Done: a slot is held and ready; a simulation found no violation; a store is safe. */
    static final int OK = 0;
    /** Failed at run time: a bound was hit, the instance was fenced, a violation was found, a store is unsafe. */
    static final int FAILED = 1;
    /** Bad input: a flag, a config value, a path. Nothing was changed. */
    static final int USAGE = 2;
    /** No slot: every slot is held by a live instance (the full policy was applied). */
    static final int FULL = 3;

    private ExitCodes() {
    }
}

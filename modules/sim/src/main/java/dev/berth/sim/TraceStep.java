package dev.berth.sim;

/** One step of a run: when, which instance, which call or event, and what came of it. */
public record TraceStep(long seq, long atMillis, String instance, String what, String result, int slot) {

    public String render() {
        return String.format("%8d.%03ds  %-20s %-28s %s", atMillis / 1000, atMillis % 1000,
                instance, what, result);
    }
}

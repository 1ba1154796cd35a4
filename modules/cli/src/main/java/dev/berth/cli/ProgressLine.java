package dev.berth.cli;

import dev.berth.sim.SimulationProgress;

/** The simulation's progress on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
final class ProgressLine implements SimulationProgress {
    private final Console console;
    private final int nodes;
    private long lastPrint;
    private boolean drawn;

    ProgressLine(Console console, int nodes) {
        this.console = console;
        this.nodes = nodes;
    }

    @Override
    public void update(long simulatedMillis, int ready, int live, long spiCalls, int violations) {
        long now = System.nanoTime();
        long every = console.interactive() ? 100_000_000L : 5_000_000_000L;
        if (drawn && now - lastPrint < every) {
            return;
        }
        lastPrint = now;
        var line = String.format("[simulate] t=%ds ready %d/%d live %d, %d SPI calls, %d violations",
                simulatedMillis / 1000, ready, nodes, live, spiCalls, violations);
        if (console.interactive()) {
            console.err().print("\r" + line + "   ");
        } else {
            console.err().println(line);
        }
        drawn = true;
    }

    void done() {
        if (console.interactive() && drawn) {
            console.err().println();
        }
    }
}

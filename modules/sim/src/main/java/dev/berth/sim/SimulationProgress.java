package dev.berth.sim;

/** Progress of a run, for a status line. */
@FunctionalInterface
public interface SimulationProgress {

    void update(long simulatedMillis, int ready, int live, long spiCalls, int violations);

    static SimulationProgress none() {
        return (t, r, l, c, v) -> {
        };
    }
}

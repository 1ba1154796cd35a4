package dev.berth.sim;

/** The berth process dies at an SPI call (before or after the call took effect). An Error: berth never catches it. */
final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String where) {
        super("simulated crash " + where, null, false, false);
    }
}

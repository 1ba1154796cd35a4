/** Generated race scenarios over the real core in the simulated world. Tests only. */
module dev.berth.property {
    requires dev.berth.sim;
}

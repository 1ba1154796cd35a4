/** The store self-check behind {@code berth store check}: is this ClaimStore safe to claim on? */
module dev.berth.storecheck {
    requires transitive dev.berth.spi;
    // the JSON report of a verdict (maps only: no generated adapters, so no processor)
    requires io.avaje.jsonb;

    exports dev.berth.storecheck;
    // the linearizability checker and history recorder, also used by the store trials' tests
    exports dev.berth.storecheck.history;
}

package dev.berth.sim;

import java.util.List;

/** A broken invariant: what, when, which slot (or -1) and which instances. */
@io.avaje.jsonb.Json
public record Violation(String invariant, long atMillis, int slot, List<String> instances, String detail) {

    public Violation {
        instances = List.copyOf(instances);
    }
}

package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.avaje.jsonb.Jsonb;
import org.junit.jupiter.api.Test;

class DeterminismTest {
    private final Jsonb jsonb = Jsonb.builder().build();

    private String json(Scenario scenario, int nodes, long seed) {
        return jsonb.toJson(Simulation.run(SimulationRequest.of(scenario, nodes, 3, seed)));
    }

    @Test
    void theSameSeedGivesByteIdenticalReports() {
        assertEquals(json(Scenario.CHAOS, 25, 42), json(Scenario.CHAOS, 25, 42));
        assertEquals(json(Scenario.INSTANCE_REFRESH, 30, 7), json(Scenario.INSTANCE_REFRESH, 30, 7));
    }

    @Test
    void anotherSeedGivesAnotherRun() {
        assertNotEquals(json(Scenario.CHAOS, 25, 42), json(Scenario.CHAOS, 25, 43));
    }
}

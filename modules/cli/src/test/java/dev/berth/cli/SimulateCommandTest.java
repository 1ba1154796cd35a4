package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code berth simulate}: bad input is a one-line usage error (exit 2), never a silent other run. */
class SimulateCommandTest {

    private static void assertUsage(MainTest.Result r, String... mentions) {
        assertEquals(2, r.code(), () -> "exit code; stdout: " + r.out() + "; stderr: " + r.err());
        var line = r.errorLine();
        assertEquals(1, line.lines().count(), () -> "one line: " + r.err());
        for (var m : mentions) {
            assertTrue(line.contains(m), () -> "'" + m + "' in: " + line);
        }
    }

    @Test
    void scenarioPlanWithoutAPlanIsAUsageErrorNotAMassBoot() {
        assertUsage(MainTest.run("simulate", "--nodes", "3", "--scenario", "plan"), "--scenario plan", "--plan");
    }

    @Test
    void aPlanNamingAnInstanceTheRunNeverHasIsAUsageErrorNamingIt() {
        assertUsage(MainTest.run("simulate", "--nodes", "3", "--plan", "kill:9@100"), "kill:9@100", "instance 9", "1 to 4");
    }

    @Test
    void anUnknownStoreModelIsAUsageErrorNamingTheModels() {
        assertUsage(MainTest.run("simulate", "--nodes", "3", "--store-model", "dynamo"), "--store-model 'dynamo'",
                "s3, s3-read-all, etcd, file");
    }

    @Test
    void aNegativeWarmUpIsAUsageErrorNamingTheRange() {
        assertUsage(MainTest.run("simulate", "--nodes", "3", "--benchmark", "--warmup", "-1"), "--warmup -1", "0 to 3600");
    }

    @Test
    void aBenchmarkSaysHowLongItWarmedUpAndWhatItMeasured() {
        var r = MainTest.run("simulate", "--nodes", "3", "--benchmark", "--warmup", "0");
        assertEquals(0, r.code(), r::err);
        assertTrue(r.err().contains("after 0 s of warm-up") && r.err().matches("(?s).*: [0-9]+ SPI calls/s.*"), r.err());
    }

    @Test
    void aStoreModelRunReportsTheStoreRequests() {
        var r = MainTest.run("simulate", "--nodes", "3", "--store-model", "s3", "--json");
        assertEquals(0, r.code(), r::err);
        org.junit.jupiter.api.Assertions.assertTrue(r.out().contains("\"storeModel\":\"s3\"")
                && r.out().contains("\"storeRequestsPerClaim\":"), r.out());
    }
}

package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BerthException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StoreModelTest {

    private static SimulationReport massBoot(StoreModel model) {
        var report = Simulation.run(SimulationRequest.of(Scenario.MASS_BOOT, 30, 3, 1).withStoreModel(model));
        assertEquals(0, report.violations(), () -> String.join("\n", report.shortestTrace()));
        return report;
    }

    @Test
    void s3WithCandidateReadsCostsAFewRequestsPerClaimAndReadingAllCostsOnePerSlot() {
        var candidates = massBoot(StoreModel.S3);
        var readAll = massBoot(StoreModel.S3_READ_ALL);
        assertEquals("s3", candidates.storeModel());
        assertTrue(candidates.storeRequestsPerClaim() <= 20, () -> "per claim: " + candidates.storeRequestsPerClaim());
        assertTrue(readAll.storeRequestsPerClaim() > 15, () -> "per claim: " + readAll.storeRequestsPerClaim());
        assertTrue(readAll.storeRequests() > candidates.storeRequests());
    }

    @Test
    void underTheS3ModelClaimsRankOnHintsAndReadOnlyTheSlotsTheyTryEvenInChaos() {
        // the s3 model lists hints and no values, as the S3 plugin does: a claim reads the records of the slots it tries
        for (long seed = 1; seed <= 4; seed++) {
            var chaos = Simulation.run(SimulationRequest.of(Scenario.CHAOS, 10, 3, seed).withStoreModel(StoreModel.S3));
            assertEquals(0, chaos.violations(), () -> String.join("\n", chaos.shortestTrace()));
        }
        var big = Simulation.run(SimulationRequest.of(Scenario.MASS_BOOT, 200, 3, 1).withStoreModel(StoreModel.S3));
        var small = massBoot(StoreModel.S3);
        assertEquals(0, big.violations(), () -> String.join("\n", big.shortestTrace()));
        assertTrue(big.storeRequestsPerClaim() <= 1.5 * small.storeRequestsPerClaim(),
                () -> "per claim at 200 nodes " + big.storeRequestsPerClaim() + ", at 30 " + small.storeRequestsPerClaim());
    }

    @Test
    void etcdIsOneRequestPerCall() {
        var etcd = massBoot(StoreModel.ETCD);
        assertEquals(etcd.storeCalls(), etcd.storeRequests());
    }

    @Test
    void withoutAModelNothingIsCountedAndTheCommandLineSaysWhichModel() {
        assertNull(massBoot(StoreModel.NONE).storeRequests());
        assertTrue(SimulationRequest.of(Scenario.MASS_BOOT, 3, 1, 1).withStoreModel(StoreModel.S3_READ_ALL).commandLine()
                .endsWith("--store-model s3-read-all"));
        assertFalse(SimulationRequest.of(Scenario.MASS_BOOT, 3, 1, 1).commandLine().contains("--store-model"));
    }

    @Test
    void s3TurnsAwayRequestsBeyondThePrefixRateWithSlowDown() {
        var cost = new StoreCost(StoreModel.S3_READ_ALL);
        var random = new SplittableRandom(1);
        // 1,000 slot records listed and read, from many claimers in the same second: the sixth list goes over 5,500 GETs
        int lists = 0;
        while (!cost.charge(StoreCost.Op.LIST, 1_000, false, 0, random).slowDown() && lists < 1_000) {
            lists++;
        }
        assertTrue(lists >= 1 && lists < 1_000, "lists before SlowDown: " + lists);
        assertEquals(1, cost.slowDowns);
        // a second later the prefix has its rate again
        assertFalse(new StoreCost(StoreModel.S3).charge(StoreCost.Op.LIST, 1_000, false, 10_000, random).slowDown());
    }

    @Test
    void anUnknownModelIsRefusedNamingTheChoices() {
        var e = assertThrows(BerthException.class, () -> StoreModel.parse("dynamo"));
        assertTrue(e.getMessage().contains("s3, s3-read-all, etcd, file"), e.getMessage());
    }
}

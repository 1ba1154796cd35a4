package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.store.FileClaimStore;
import dev.berth.spi.ClaimStore;
import io.avaje.json.JsonReader;
import io.avaje.jsonb.Jsonb;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two berth claims, each in its own class loader (its own copy of berth, as two processes
 * would have), race for the single slot of a local file store, a thousand times. Exactly one
 * may win each time; the other must see the cluster full.
 */
class FileStoreRaceTest {
    private static final int ROUNDS = Integer.getInteger("berth.raceRounds", 1000);

    @Test
    void exactlyOneOfTwoClaimersWinsTheOnlySlotEveryTime(@TempDir Path dir) throws Exception {
        var urls = new URL[] {location(RaceEntry.class), location(LocalClaim.class), location(FileClaimStore.class),
                location(ClaimStore.class), location(Jsonb.class), location(JsonReader.class)};
        try (var a = new URLClassLoader("racer-a", urls, ClassLoader.getPlatformClassLoader());
             var b = new URLClassLoader("racer-b", urls, ClassLoader.getPlatformClassLoader());
             ExecutorService pool = Executors.newFixedThreadPool(2)) {
            var claimA = a.loadClass(RaceEntry.class.getName()).getMethod("claim", String.class, String.class, String.class);
            var claimB = b.loadClass(RaceEntry.class.getName()).getMethod("claim", String.class, String.class, String.class);
            int winsA = 0;
            for (int round = 0; round < ROUNDS; round++) {
                var store = Files.createDirectory(dir.resolve("store-" + round)).toString();
                var env = dir.resolve("env-" + round).toString();
                var barrier = new CyclicBarrier(2);
                List<Future<String>> results = new ArrayList<>();
                results.add(pool.submit(() -> {
                    barrier.await();
                    return (String) claimA.invoke(null, store, "i-aaaaaaaaaaaaaaaaa", env);
                }));
                results.add(pool.submit(() -> {
                    barrier.await();
                    return (String) claimB.invoke(null, store, "i-bbbbbbbbbbbbbbbbb", env);
                }));
                var ra = results.get(0).get();
                var rb = results.get(1).get();
                int r = round;
                long winners = List.of(ra, rb).stream().filter(s -> s.startsWith("claimed 0 1")).count();
                assertEquals(1, winners, () -> "round " + r + ": a said '" + ra + "', b said '" + rb + "'");
                assertTrue(ra.equals("full") || rb.equals("full"), () -> "round " + r + ": the loser must see the"
                        + " cluster full, a said '" + ra + "', b said '" + rb + "'");
                if (ra.startsWith("claimed")) {
                    winsA++;
                }
            }
            int finalWinsA = winsA;
            System.out.printf("file store race: %d rounds, a won %d, b won %d%n", ROUNDS, finalWinsA, ROUNDS - finalWinsA);
            assertTrue(winsA > 0 && winsA < ROUNDS, "both contenders should win some rounds, or the race is not a race");
        }
    }

    private static URL location(Class<?> type) throws Exception {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}

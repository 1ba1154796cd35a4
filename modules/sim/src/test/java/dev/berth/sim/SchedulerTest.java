package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link Scheduler#run}, where a parking process hands control straight to the next one, takes the
 * same steps in the same order, on the same clock, as a driver stepping with {@link Scheduler#step()}.
 */
class SchedulerTest {

    /** Three processes that park at different times, timers that start and kill others, a process that ends early. */
    private static List<String> play(Consumer<Scheduler> drive, Scheduler s) {
        var log = new ArrayList<String>();
        Scheduler.Proc[] victim = new Scheduler.Proc[1];
        for (int p = 0; p < 3; p++) {
            int id = p;
            var proc = new Scheduler.Proc[1];
            proc[0] = new Scheduler.Proc("p" + id, () -> {
                for (int i = 0; i < 6 - id; i++) {
                    log.add(s.now() + " p" + id + " step " + i);
                    s.suspendUntil(proc[0], s.now() + 7 + id * 3);
                }
                log.add(s.now() + " p" + id + " done");
            });
            if (id == 2) {
                victim[0] = proc[0];
            }
            s.start(proc[0], id);
        }
        s.at(10, () -> log.add(s.now() + " timer"));
        s.at(11, () -> {
            log.add(s.now() + " kill p2");
            s.kill(victim[0]);
        });
        s.at(12, () -> {
            var late = new Scheduler.Proc[1];
            late[0] = new Scheduler.Proc("late", () -> {
                log.add(s.now() + " late starts");
                s.suspendUntil(late[0], s.now() + 1);
                log.add(s.now() + " late ends");
            });
            s.start(late[0], s.now() + 2);
        });
        Scheduler.onVirtualThread(() -> {
            drive.accept(s);
            log.add(s.now() + " end after " + s.steps() + " steps");
            s.shutdown();
            return null;
        });
        return log;
    }

    @Test
    void directHandOffTakesTheStepsOfAStepLoop() {
        var stepped = play(s -> {
            while (s.step()) {
                // the driver checks nothing between steps
            }
        }, new Scheduler());
        int[] afterSteps = {0};
        var direct = play(s -> s.run(() -> false, () -> afterSteps[0]++), new Scheduler());
        assertEquals(stepped, direct);
        assertTrue(stepped.contains("11 kill p2") && stepped.stream().noneMatch(l -> l.contains("p2 done")), stepped::toString);
        assertTrue(afterSteps[0] > 10, "the driver's hook runs after every step: " + afterSteps[0]);
    }

    @Test
    void runStopsWhereAStepLoopWouldStop() {
        var stepped = play(s -> {
            while (s.now() < 20 && s.step()) {
                // stop once the clock reaches 20
            }
        }, new Scheduler());
        var direct = play(s -> s.run(() -> s.now() >= 20, () -> { }), new Scheduler());
        assertEquals(stepped, direct);
    }

    @Test
    void anActionThatFailsSurfacesFromRun() {
        var s = new Scheduler();
        var boom = new IllegalStateException("boom");
        var proc = new Scheduler.Proc[1];
        proc[0] = new Scheduler.Proc("p", () -> {
            for (int i = 0; i < 10; i++) {
                s.suspendUntil(proc[0], s.now() + 5);
            }
        });
        s.start(proc[0], 0);
        s.at(12, () -> {
            throw boom;
        });
        var thrown = assertThrows(IllegalStateException.class, () -> Scheduler.onVirtualThread(() -> {
            try {
                s.run(() -> false, () -> { });
                return null;
            } finally {
                s.shutdown();
            }
        }));
        assertSame(boom, thrown);
    }
}

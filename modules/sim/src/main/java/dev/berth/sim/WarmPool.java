package dev.berth.sim;

import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleState;
import java.util.List;

/**
 * An Auto Scaling warm pool in the simulated world: a launched instance first warms (Warmed:Running,
 * its user data and so berth run), is then stopped (Warmed:Stopped), and is later launched into
 * service (Pending, then InService, and berth runs again at that boot). A warming instance that
 * claims a slot breaks the invariant that a stopped instance never holds one.
 */
final class WarmPool {
    private final World world;

    WarmPool(World world) {
        this.world = world;
    }

    /** Called instead of the boot of a new instance: warm it, stop it, then put it in service. */
    void warm(SimInstance instance, Runnable bootIntoService) {
        if (instance.terminationRequested || instance.terminated()) {
            return;
        }
        if (world.faults.zonesDown.contains(instance.zone)) {
            world.scheduler.at(world.now() + 60_000, () -> warm(instance, bootIntoService));
            return;
        }
        instance.state.set(world.now(), InstanceState.RUNNING);
        instance.lifecycle.set(world.now(), LifecycleState.WARMED);
        world.trace.event(instance.id, "warm pool", "warming (Warmed:Running)", -1);
        if (world.processes.autoStartBerth) {
            world.processes.startBerth(instance);
        }
        world.scheduler.at(world.now() + world.between(30_000, 120_000), () -> {
            if (instance.terminationRequested || instance.terminated()) {
                return;
            }
            if (instance.berth != null) {
                world.scheduler.kill(instance.berth);
            }
            instance.state.set(world.now(), InstanceState.STOPPED);
            world.trace.event(instance.id, "warm pool", "stopped (Warmed:Stopped)", -1);
            world.scheduler.at(world.now() + world.between(10_000, 120_000), () -> {
                if (instance.terminationRequested || instance.terminated()) {
                    return;
                }
                instance.lifecycle.set(world.now(), LifecycleState.PENDING);
                instance.state.set(world.now(), InstanceState.PENDING);
                world.trace.event(instance.id, "warm pool", "launched into service", -1);
                world.scheduler.at(world.now() + world.between(10_000, 40_000), bootIntoService);
            });
        });
    }

    /** A warmed instance never holds a slot: called for every slot written and every workload started. */
    void check(SimInstance instance, int slot, String what) {
        if (instance.lifecycle.now() == LifecycleState.WARMED) {
            world.trace.violation("a warming instance never claims a slot", slot, List.of(instance.id),
                    "instance " + instance.id + " " + what + " slot " + slot + " while warming in the warm pool");
        }
    }
}

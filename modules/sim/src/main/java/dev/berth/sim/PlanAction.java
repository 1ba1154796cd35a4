package dev.berth.sim;

import dev.berth.spi.BerthException;
import java.util.List;

/**
 * One step of a generated scenario, with a compact text form so that any run can be replayed
 * from a command line: {@code berth simulate --plan 'crash:2:5a,kill:1@120,stale@0+600'}.
 * Instances are numbered in launch order from 1; times are simulated seconds.
 */
public sealed interface PlanAction {

    /** The simulated second at which the action starts (crash and pause plans: 0, they wait for their call). */
    long atSeconds();

    /** When the fault it brings is over. */
    default long endsAtSeconds() {
        return atSeconds();
    }

    String text();

    /** The berth process of instance {@code instance} dies at its {@code call}-th SPI call, before or after the call took effect. */
    record Crash(int instance, int call, boolean afterEffect) implements PlanAction {
        public long atSeconds() {
            return 0;
        }

        public String text() {
            return "crash:" + instance + ":" + call + (afterEffect ? "a" : "");
        }
    }

    /** The berth process of instance {@code instance} stalls (a long GC pause) for {@code seconds} at its {@code call}-th SPI call. */
    record Pause(int instance, int call, long seconds) implements PlanAction {
        public long atSeconds() {
            return 0;
        }

        public String text() {
            return "pause:" + instance + ":" + call + "+" + seconds;
        }
    }

    /** Instance {@code instance} is terminated at {@code at}; the group launches a replacement. */
    record Kill(int instance, long at) implements PlanAction {
        public long atSeconds() {
            return at;
        }

        public String text() {
            return "kill:" + instance + "@" + at;
        }
    }

    /**
     * Instance {@code instance} gets a spot interruption notice at {@code at}: two minutes later EC2
     * reclaims it (no lifecycle hook holds it), and the group launches a replacement.
     */
    record Spot(int instance, long at) implements PlanAction {
        public long atSeconds() {
            return at;
        }

        /** The fault lasts until EC2 reclaims the instance. */
        public long endsAtSeconds() {
            return at + 120;
        }

        public String text() {
            return "spot:" + instance + "@" + at;
        }
    }

    /** An instance refresh starts at {@code at}: every instance replaced, a batch at a time, launch first. */
    record Refresh(long at) implements PlanAction {
        public long atSeconds() {
            return at;
        }

        public String text() {
            return "refresh@" + at;
        }
    }

    /** The group's desired capacity becomes {@code to} at {@code at}. */
    record Scale(int to, long at) implements PlanAction {
        public long atSeconds() {
            return at;
        }

        public String text() {
            return "scale:" + to + "@" + at;
        }
    }

    /** Zone number {@code zone} (from 0) is down from {@code at} for {@code seconds}. */
    record Outage(int zone, long at, long seconds) implements PlanAction {
        public long atSeconds() {
            return at;
        }

        public long endsAtSeconds() {
            return at + seconds;
        }

        public String text() {
            return "outage:" + zone + "@" + at + "+" + seconds;
        }
    }

    /** A window of faults: {@code stale} describe calls, {@code throttle}d cloud calls or a {@code slowstore}. */
    record Window(String kind, long at, long seconds) implements PlanAction {
        public Window {
            if (!List.of("stale", "throttle", "slowstore").contains(kind)) {
                throw new BerthException("unknown fault window '" + kind + "': use stale, throttle or slowstore");
            }
        }

        public long atSeconds() {
            return at;
        }

        public long endsAtSeconds() {
            return at + seconds;
        }

        public String text() {
            return kind + "@" + at + "+" + seconds;
        }
    }
}

package dev.berth.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The deterministic scheduler: a virtual clock and a queue of events ordered by (time,
 * sequence). Simulated berth processes run as virtual threads, but only one thing ever runs
 * at a time: a process runs until its next SPI call or sleep, where it hands control back
 * and is resumed when its event comes due. So the same seed gives the same run, step for step.
 */
final class Scheduler {

    /** Thrown inside a process that was killed (its instance terminated, or the run ended). */
    static final class Killed extends Error {
        private static final long serialVersionUID = 1L;

        Killed() {
            super("process killed", null, false, false);
        }
    }

    /**
     * The right to run, handed from one thread to another: given once, taken once. A semaphore of one
     * permit, without its queue: exactly one thread ever waits on a baton, and a hand-off happens at
     * every simulated call.
     */
    static final class Baton {
        private volatile boolean given;
        private volatile Thread waiter;

        void give() {
            given = true;
            var w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }

        /** Waits for the baton; like {@code acquireUninterruptibly}, an interrupt is kept for later, not spun on. */
        void take() {
            waiter = Thread.currentThread();
            boolean interrupted = false;
            while (!given) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            given = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A simulated process: one berth run on one instance. */
    static final class Proc {
        final String name;
        private final Runnable body;
        private final Baton baton = new Baton();
        private boolean started;
        private boolean finished;
        private boolean killed;

        Proc(String name, Runnable body) {
            this.name = name;
            this.body = body;
        }

        boolean finished() {
            return finished;
        }

        boolean killed() {
            return killed;
        }
    }

    private record Event(long time, long seq, Proc proc, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Baton back = new Baton();
    private final List<Proc> live = new ArrayList<>();
    private long now;
    private long seq;
    private long steps;
    /**
     * Whether a process may go on without a hand-off when nothing else is due before it would be
     * resumed: the run is the same (same clock, same steps, same order), only cheaper. Only for
     * drivers that check nothing between two steps but {@link Proc#finished()} of a process.
     */
    private boolean continueInPlace;
    /**
     * While {@link #run} drives: a process that parks (or ends) takes the next steps itself, running
     * due actions in place and handing control straight to the next process, so a hand-off is one
     * virtual-thread switch instead of two (process to driver to process). The driver is woken only
     * when its condition holds, the queue is empty, or an action failed.
     */
    private boolean direct;
    private java.util.function.BooleanSupplier stop = () -> false;
    private Runnable afterStep = () -> { };
    private Throwable failure;

    /**
     * Runs a whole simulation on a virtual thread, so that every hand-off between the scheduler
     * and a process is a virtual-thread switch on one carrier (cheap), never an OS-level park.
     */
    static <T> T onVirtualThread(java.util.function.Supplier<T> run) {
        var result = new java.util.concurrent.atomic.AtomicReference<T>();
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        var thread = Thread.ofVirtual().name("sim-scheduler").start(() -> {
            try {
                result.set(run.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the simulation ran", e);
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return result.get();
    }

    long now() {
        return now;
    }

    long steps() {
        return steps;
    }

    boolean idle() {
        return queue.isEmpty();
    }

    long nextTime() {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.peek().time;
    }

    void at(long time, Runnable action) {
        queue.add(new Event(Math.max(time, now), seq++, null, action));
    }

    void start(Proc proc, long time) {
        live.add(proc);
        queue.add(new Event(Math.max(time, now), seq++, proc, null));
    }

    void continueInPlace(boolean on) {
        continueInPlace = on;
    }

    /** Called by a running process: park until {@code time}, letting everything due before run first. */
    void suspendUntil(Proc proc, long time) {
        long due = Math.max(time, now);
        if (continueInPlace && !proc.killed && (queue.isEmpty() || queue.peek().time > due)) {
            // nothing else runs before this process would be resumed: the step it would take, taken in place
            seq++;
            now = due;
            steps++;
            return;
        }
        queue.add(new Event(due, seq++, proc, null));
        if (!direct) {
            back.give();
            proc.baton.take();
        } else if (dispatch(proc)) {
            proc.baton.take();
        }
        if (proc.killed) {
            throw new Killed();
        }
    }

    /**
     * Runs the events until {@code until} holds or none is left, checking {@code until} and running
     * {@code afterEachStep} after every step, exactly where a loop of {@link #step()} would. The
     * steps are those of such a loop, in the same order; only who takes them differs (see {@link #direct}).
     */
    void run(java.util.function.BooleanSupplier until, Runnable afterEachStep) {
        stop = until;
        afterStep = afterEachStep;
        direct = true;
        try {
            while (!until.getAsBoolean() && step()) {
                rethrowFailure();
                afterEachStep.run();
            }
            rethrowFailure();
        } finally {
            direct = false;
            stop = () -> false;
            afterStep = () -> { };
        }
    }

    private void rethrowFailure() {
        var f = failure;
        if (f == null) {
            return;
        }
        failure = null;
        if (f instanceof RuntimeException e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(f);
    }

    /**
     * Takes the next steps on the thread of {@code self}, a process that just parked (or ended,
     * {@code self.finished}) after its step. Returns false when {@code self} itself is due next
     * (it goes on, same clock and count as if resumed), true when control went to another process
     * or back to the driver and {@code self} must park.
     */
    private boolean dispatch(Proc self) {
        for (;;) {
            if (stop.getAsBoolean()) {
                back.give();
                return true;
            }
            afterStep.run();
            var event = queue.poll();
            if (event == null) {
                back.give();
                return true;
            }
            now = event.time;
            steps++;
            if (event.action != null) {
                try {
                    event.action.run();
                } catch (Throwable t) {
                    failure = t;
                    back.give();
                    return true;
                }
                continue;
            }
            var proc = event.proc;
            if (proc.finished) {
                continue;
            }
            if (proc == self) {
                return false;
            }
            resume(proc);
            return true;
        }
    }

    /** Lets {@code proc} run: the first time by starting its virtual thread, after that by handing it the baton. */
    private void resume(Proc proc) {
        if (!proc.started) {
            proc.started = true;
            Thread.ofVirtual().name("sim-" + proc.name).start(() -> runBody(proc));
        } else {
            proc.baton.give();
        }
    }

    /** Kills a process: it unwinds the next time it would run, without touching the world again. */
    void kill(Proc proc) {
        if (proc.finished || proc.killed) {
            return;
        }
        proc.killed = true;
        if (proc.started) {
            queue.add(new Event(now, seq++, proc, null));
        } else {
            proc.finished = true;
        }
    }

    /** Runs every event due up to {@code time}, then sets the clock to it (for calls made outside any process). */
    void advanceTo(long time) {
        while (!queue.isEmpty() && queue.peek().time <= time) {
            step();
        }
        now = Math.max(now, time);
    }

    /** Runs the next event; false when there is none. */
    boolean step() {
        var event = queue.poll();
        if (event == null) {
            return false;
        }
        now = event.time;
        steps++;
        if (event.action != null) {
            event.action.run();
            return true;
        }
        var proc = event.proc;
        if (proc.finished) {
            return true;
        }
        resume(proc);
        back.take();
        return true;
    }

    private void runBody(Proc proc) {
        try {
            if (!proc.killed) {
                proc.body.run();
            }
        } catch (Killed e) {
            // the instance is gone; nothing more happens in this process
        } finally {
            proc.finished = true;
            if (!direct) {
                back.give();
            } else {
                dispatch(proc);
            }
        }
    }

    /** Ends the run: every process still parked is killed and unwound. */
    void shutdown() {
        direct = false;
        queue.clear();
        for (var proc : live) {
            if (proc.started && !proc.finished) {
                proc.killed = true;
                proc.baton.give();
                back.take();
            }
        }
        live.clear();
    }
}

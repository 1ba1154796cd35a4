package dev.berth.core.claim;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way berth waits: polls until a probe says done, with a jittered exponential backoff,
 * a progress line every {@value #PROGRESS_EVERY_MILLIS} ms while it waits (an operator watching
 * the journal never stares at silence), and a bound. On expiry it fails with an error that says
 * what it waited for, for how long, under which bound, the last thing it saw and what to check.
 * Time is the {@link Ticker}'s, so the simulator's virtual clock drives every wait the same way.
 *
 * <pre>{@code
 * BoundedWait.forThe("volume vol-1 to attach to i-1", ticker, log)
 *         .bound(Bound.of("waits.attachSeconds", 300_000))
 *         .hint("check the volume in the console (stuck attaching?) and re-run")
 *         .until(() -> attached() ? Poll.done(device) : Poll.pending("attaching"));
 * }</pre>
 */
public final class BoundedWait {
    static final long PROGRESS_EVERY_MILLIS = 30_000;

    /** A limit on a wait: the configuration key that sets it (for messages) and its length. */
    public record Bound(String key, long millis, int attempts) {
        public Bound {
            Objects.requireNonNull(key, "key");
            if (millis < 0 || attempts < 1) {
                throw new IllegalArgumentException("bound " + key + " must be non-negative with at least one attempt");
            }
        }

        /** At most {@code millis} of waiting. */
        public static Bound of(String key, long millis) {
            return new Bound(key, millis, Integer.MAX_VALUE);
        }

        /** At most {@code attempts} looks, however long they take (a retry of one call). */
        public static Bound attempts(String key, int attempts) {
            return new Bound(key, Long.MAX_VALUE, attempts);
        }

        private static final Bound NONE = new Bound("none", Long.MAX_VALUE, Integer.MAX_VALUE);

        /** No limit: a keeper waiting for its termination notice. */
        public static Bound none() {
            return NONE;
        }

        boolean unbounded() {
            return millis == Long.MAX_VALUE && attempts == Integer.MAX_VALUE;
        }

        String describe() {
            if (millis != Long.MAX_VALUE) {
                return key + " = " + seconds(millis) + " s";
            }
            return key + " = " + attempts + " attempts";
        }
    }

    /** What one look found: done with a value, or not yet (and what was seen, for progress lines and errors). */
    public sealed interface Poll<T> {
        record Done<T>(T value) implements Poll<T> {
        }

        record Pending<T>(String seen) implements Poll<T> {
        }

        static <T> Poll<T> done(T value) {
            return new Done<>(value);
        }

        static <T> Poll<T> pending(String seen) {
            return new Pending<>(seen);
        }
    }

    /** How a wait ended without its probe saying done: for the error that the caller throws. */
    public record Expired(String what, long waitedMillis, int attempts, Bound bound, String lastSeen, String hint) {

        /** The standard message: what, how long, which bound, the last thing seen, what to check. */
        public String message() {
            return "gave up waiting for " + what + " after " + seconds(waitedMillis) + " s and " + attempts
                    + (attempts == 1 ? " look" : " looks") + " (bound " + bound.describe() + "); last seen: " + lastSeen
                    + (hint.isEmpty() ? "" : ". " + hint);
        }
    }

    private final Supplier<String> what;
    private final Ticker ticker;
    private final ClaimLog log;
    private Bound bound = Bound.none();
    private String hint = "";
    private long firstDelayMillis = 500;
    private long maxDelayMillis = 10_000;
    private boolean progress = true;
    private Function<Expired, RuntimeException> onExpiry =
            e -> new ClaimException(ClaimException.Kind.TIMEOUT, e.message());

    private BoundedWait(Supplier<String> what, Ticker ticker, ClaimLog log) {
        this.what = Objects.requireNonNull(what, "what");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** A wait for {@code what} ("volume vol-1 to attach to i-1"), as it reads after "waiting for". */
    public static BoundedWait forThe(String what, Ticker ticker, ClaimLog log) {
        Objects.requireNonNull(what, "what");
        return new BoundedWait(() -> what, ticker, log);
    }

    /** The same, for a wait whose words cost something to build and are needed only if it waits: {@link Calls}, on every call. */
    static BoundedWait forThe(Supplier<String> what, Ticker ticker, ClaimLog log) {
        return new BoundedWait(what, ticker, log);
    }

    public BoundedWait bound(Bound bound) {
        this.bound = Objects.requireNonNull(bound, "bound");
        return this;
    }

    /** What the operator should check when the wait expires. */
    public BoundedWait hint(String hint) {
        this.hint = Objects.requireNonNull(hint, "hint");
        return this;
    }

    /** The backoff: the first pause between looks, doubled (with jitter) up to {@code maxMillis}. */
    public BoundedWait backoff(long firstMillis, long maxMillis) {
        if (firstMillis < 1 || maxMillis < firstMillis) {
            throw new IllegalArgumentException("backoff " + firstMillis + ".." + maxMillis + " ms");
        }
        this.firstDelayMillis = firstMillis;
        this.maxDelayMillis = maxMillis;
        return this;
    }

    /** No progress lines: for a wait whose caller logs what it needs (a keeper idling until told to go). */
    public BoundedWait quiet() {
        this.progress = false;
        return this;
    }

    /** The error thrown on expiry; a {@link ClaimException} of kind TIMEOUT unless said otherwise. */
    public BoundedWait onExpiry(Function<Expired, RuntimeException> onExpiry) {
        this.onExpiry = Objects.requireNonNull(onExpiry, "onExpiry");
        return this;
    }

    /**
     * Looks until the probe says done, first at once. The probe may throw to stop the wait (a
     * failed snapshot is not worth waiting for); that exception reaches the caller as is.
     */
    public <T> T until(Supplier<Poll<T>> probe) {
        long start = ticker.nowMillis();
        return after(start, probe.get(), probe);
    }

    /**
     * The rest of a wait whose first look, {@code first}, its caller made itself at {@code start}: the
     * same wait as {@link #until}, for a caller that builds the wait only when the first look was not enough.
     */
    <T> T after(long start, Poll<T> first, Supplier<Poll<T>> probe) {
        long nextProgress = start + PROGRESS_EVERY_MILLIS;
        long delay = firstDelayMillis;
        String seen = "nothing yet";
        var poll = first;
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1) {
                poll = probe.get();
            }
            switch (poll) {
                case Poll.Done<T> done -> {
                    return done.value();
                }
                case Poll.Pending<T> pending -> seen = pending.seen();
            }
            long now = ticker.nowMillis();
            long waited = now - start;
            if (attempt >= bound.attempts() || waited >= bound.millis()) {
                throw onExpiry.apply(new Expired(what.get(), waited, attempt, bound, seen, hint));
            }
            if (progress && now >= nextProgress) {
                log.info("still waiting for " + what.get() + ": " + seconds(waited) + " s so far"
                        + (bound.unbounded() ? "" : " (bound " + bound.describe() + ")") + "; last seen: " + seen);
                nextProgress = now + PROGRESS_EVERY_MILLIS;
            }
            long pause = delay / 2 + ticker.jitter(delay / 2 + 1);
            if (bound.millis() != Long.MAX_VALUE) {
                pause = Math.min(pause, Math.max(1, bound.millis() - waited));   // one last look at the bound
            }
            ticker.sleep(pause, bound.key());
            delay = Math.min(delay * 2, maxDelayMillis);
        }
    }

    private static long seconds(long millis) {
        return (millis + 999) / 1000;
    }
}

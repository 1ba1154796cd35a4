package dev.berth.core.claim;

import dev.berth.spi.CloudException;
import dev.berth.spi.LifecycleAction;
import dev.berth.spi.TerminationNotice;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The keeper: stays beside the workload, and when the instance is told it will go away, stops the
 * workload, lets go of the slot (unmount, detach, release by compare-and-set) and completes the
 * lifecycle hook, keeping the hook alive with heartbeats while it works. Bounded: it gives up
 * waiting for a notice after {@code maxWaitMillis} only if asked to.
 */
public final class SlotKeeper {
    private final ClaimSettings settings;
    private final ClaimContext context;
    private final Calls calls;

    public SlotKeeper(ClaimSettings settings, ClaimContext context) {
        this.settings = settings;
        this.context = context;
        this.calls = new Calls(context.ticker(), settings.waits(), context.log());
    }

    /**
     * Polls for a termination notice every {@code pollMillis}; empty when {@code maxWaitMillis} passed first
     * ({@code -1}: wait for ever). A read that still fails after the retry layer's attempts (IMDS refused for a
     * moment) is logged and tried again at the next poll: a bad second never ends the keeper.
     */
    public Optional<TerminationNotice> awaitNotice(long pollMillis, long maxWaitMillis) {
        var wait = BoundedWait.forThe("a termination notice", context.ticker(), context.log())
                .bound(maxWaitMillis < 0 ? BoundedWait.Bound.none() : BoundedWait.Bound.of("--max-wait", maxWaitMillis))
                .backoff(pollMillis, pollMillis)
                .quiet()
                .onExpiry(expired -> new NoNotice());
        try {
            return Optional.of(wait.until(() -> {
                try {
                    return calls.run("read the termination notice", () -> context.cloud().terminationNotice())
                            .<BoundedWait.Poll<TerminationNotice>>map(BoundedWait.Poll::done)
                            .orElseGet(() -> BoundedWait.Poll.pending("no notice"));
                } catch (CloudException e) {
                    if (!e.reason().retryable()) {
                        throw e;
                    }
                    context.log().info("could not read the termination notice (" + e.getMessage() + "); trying again");
                    return BoundedWait.Poll.pending("the notice could not be read");
                }
            }));
        } catch (NoNotice e) {
            return Optional.empty();
        }
    }

    /** The keeper's wait ended without a notice: not an error. */
    private static final class NoNotice extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoNotice() {
            super(null, null, false, false);
        }
    }

    /**
     * Lets go: stops the workload ({@code stopWorkload}, which must be bounded: on a spot interruption the
     * whole of this has two minutes), releases the slot, and only then talks to Auto Scaling: completes
     * the lifecycle hook named by the notice (or {@code defaultHook}) when the instance is going to
     * Terminated. That call is best effort: a spot interruption or a group without an active hook refuses
     * it ("No active Lifecycle Action found"), and the slot is released whatever it answers. On a spot
     * interruption the volume is detached without waiting for it to become available: EC2's own
     * VolumeInUse fences the next holder until the detach completes. Returns the slot released, or -1
     * when none was held.
     */
    public int letGo(TerminationNotice notice, Optional<String> defaultHook, Consumer<TerminationNotice> stopWorkload) {
        context.log().info("termination notice: " + notice.reason() + "; letting go of the slot");
        if (notice.kind() == TerminationNotice.Kind.TERMINATE) {
            // a fresh heartbeat timeout for the work below (stopping the workload may take minutes)
            notice.hookName().or(() -> defaultHook).ifPresent(h -> bestEffort("heartbeat lifecycle hook " + h,
                    () -> context.cloud().heartbeatLifecycleAction(h)));
        }
        stopWorkload.accept(notice);
        int slot = new SlotRelease(settings, context).release(notice.kind() != TerminationNotice.Kind.SPOT);
        if (notice.kind() == TerminationNotice.Kind.TERMINATE) {
            notice.hookName().or(() -> defaultHook).ifPresent(h -> bestEffort("complete lifecycle hook " + h,
                    () -> context.cloud().completeLifecycleAction(new LifecycleAction(h, Optional.empty(),
                            LifecycleAction.Result.CONTINUE))));
        }
        return slot;
    }

    private void bestEffort(String what, Runnable call) {
        try {
            calls.run(what, call);
        } catch (RuntimeException e) {
            context.log().info("could not " + what + " (" + e.getMessage() + "); the slot's release goes on");
        }
    }
}

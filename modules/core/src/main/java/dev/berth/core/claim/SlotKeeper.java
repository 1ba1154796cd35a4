package dev.berth.core.claim;

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

    public SlotKeeper(ClaimSettings settings, ClaimContext context) {
        this.settings = settings;
        this.context = context;
    }

    /** Polls for a termination notice every {@code pollMillis}; empty when {@code maxWaitMillis} passed first. */
    public Optional<TerminationNotice> awaitNotice(long pollMillis, long maxWaitMillis) {
        long start = context.ticker().nowMillis();
        while (true) {
            var notice = context.cloud().terminationNotice();
            if (notice.isPresent()) {
                return notice;
            }
            if (maxWaitMillis >= 0 && context.ticker().nowMillis() - start >= maxWaitMillis) {
                return Optional.empty();
            }
            context.ticker().sleep(pollMillis);
        }
    }

    /**
     * Lets go: stops the workload ({@code stopWorkload}), releases the slot, completes the hook
     * named by the notice (or {@code defaultHook}). Returns the slot released, or -1 when none was held.
     */
    public int letGo(TerminationNotice notice, Optional<String> defaultHook, Consumer<String> stopWorkload) {
        context.log().info("termination notice: " + notice.reason() + "; letting go of the slot");
        var hook = notice.hookName().or(() -> defaultHook);
        hook.ifPresent(h -> context.cloud().heartbeatLifecycleAction(h));
        stopWorkload.accept(notice.reason());
        hook.ifPresent(h -> context.cloud().heartbeatLifecycleAction(h));
        int slot = new SlotRelease(settings, context).release();
        hook.ifPresent(h -> context.cloud().completeLifecycleAction(new LifecycleAction(h, Optional.empty(),
                LifecycleAction.Result.CONTINUE)));
        return slot;
    }
}

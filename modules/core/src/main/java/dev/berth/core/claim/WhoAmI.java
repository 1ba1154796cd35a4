package dev.berth.core.claim;

import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.LifecycleState;

/**
 * Step 1 of DESIGN.md, first half: read this instance from the provider. An instance warming in a
 * warm pool ({@code Warmed:*}) never claims: Auto Scaling runs its user data and then stops it, and a
 * stopped instance would hold a slot. It claims when it enters service.
 */
final class WhoAmI {

    /** Either this instance, ready to claim, or the deferred outcome of a warming one. */
    sealed interface Outcome {
        record Ready(InstanceIdentity me) implements Outcome {
        }

        record Warming(ClaimOutcome.Deferred deferred) implements Outcome {
        }
    }

    private WhoAmI() {
    }

    static Outcome ask(ClaimSettings settings, ClaimContext context, Calls calls) {
        var me = calls.run("read this instance's identity", () -> context.cloud().self());
        context.log().info("instance " + me.instanceId() + " in zone " + me.zone() + ", cluster " + settings.cluster());
        var state = calls.run("read this instance's lifecycle state", () -> context.cloud().selfLifecycleState());
        if (state.isEmpty() || state.get() != LifecycleState.WARMED) {
            return new Outcome.Ready(me);
        }
        var detail = "instance " + me.instanceId() + " is warming in a warm pool (Warmed:*): it will claim a slot of"
                + " cluster " + settings.cluster() + " when it enters service, when berth claim runs again";
        context.log().info(detail);
        return new Outcome.Warming(new ClaimOutcome.Deferred(state.get().awsName(), detail));
    }
}

package dev.berth.core.claim;

import dev.berth.core.identity.IdentityBackup;
import dev.berth.core.slot.SlotEntry;
import dev.berth.spi.IdentityException;
import dev.berth.spi.IdentityProvider;
import dev.berth.spi.IdentityState;
import dev.berth.spi.NodeIdentity;
import java.nio.file.Path;

/**
 * Step 7 of DESIGN.md: the slot's identity, on the volume if present (it must match the slot's
 * fingerprint, else berth stops); else restored from the store's encrypted backup; else generated
 * for a new slot and backed up. A manual policy never restores keys onto a new disk by itself.
 */
final class IdentityStep {

    /** What the step found or made. */
    sealed interface Outcome {
        /** No identity provider is configured. */
        record None() implements Outcome {
        }

        /** The slot's identity, and its encrypted backup for the slot record (null without a key provider). */
        record Ready(NodeIdentity identity, String backup) implements Outcome {
        }
    }

    private IdentityStep() {
    }

    static Outcome ensure(ClaimRun run, SlotEntry held) {
        var context = run.context();
        var settings = run.settings();
        if (context.identity().isEmpty()) {
            return new Outcome.None();
        }
        IdentityProvider provider = context.identity().get();
        var dir = settings.volume().mountPoint().resolve(settings.identity().directory());
        var recorded = held.record().identity();
        var slotName = "cluster " + settings.cluster() + " slot " + held.slot();
        switch (provider.load(dir)) {
            case IdentityState.Present present -> {
                var found = present.identity();
                if (recorded != null && !recorded.fingerprint().equals(found.fingerprint())) {
                    boolean sameName = recorded.publicName().equals(found.publicName());
                    throw new ClaimException(ClaimException.Kind.DATA_SAFETY, "the identity in " + dir + " (fingerprint "
                            + found.fingerprint() + (sameName ? "" : ", " + found.publicName()) + ") is not the identity of "
                            + slotName + " (fingerprint " + recorded.fingerprint()
                            + (sameName ? "; both are named " + recorded.publicName() + " but their keys differ"
                            : ", " + recorded.publicName()) + "). berth stops: running it would make a different node."
                            + " Check which volume is attached (berth device probe --volume-id ...)");
                }
                var backup = held.record().identityBackup() != null ? held.record().identityBackup()
                        : backup(run, provider, dir, slotName);
                return new Outcome.Ready(found, backup);
            }
            case IdentityState.Absent absent -> {
                if (recorded == null) {
                    var generated = provider.generate(dir);
                    run.log("generated " + generated.kind() + " identity " + generated.publicName() + " for slot " + held.slot());
                    return new Outcome.Ready(generated, backup(run, provider, dir, slotName));
                }
                if (settings.identity().policy() == IdentityPolicy.MANUAL) {
                    throw new ClaimException(ClaimException.Kind.REFUSED, "the identity of " + slotName + " ("
                            + recorded.publicName() + ") is not on its volume, and the identity policy is manual:"
                            + " berth never restores keys by itself. Restore it on purpose with"
                            + " 'berth identity restore --slot " + held.slot() + "', then re-run berth claim");
                }
                if (held.record().identityBackup() == null || context.keys().isEmpty()) {
                    throw new ClaimException(ClaimException.Kind.DATA_SAFETY, "the identity of " + slotName + " ("
                            + recorded.publicName() + ") is not on its volume and "
                            + (context.keys().isEmpty() ? "no key provider is configured to open its backup"
                            : "the slot has no backup of it") + ": restore the identity files into " + dir + " by hand");
                }
                var bundle = run.calls().run("open the identity backup of " + slotName,
                        () -> IdentityBackup.open(held.record().identityBackup(), context.keys().get(), slotName));
                try {
                    var restored = provider.restore(dir, bundle);
                    if (!restored.fingerprint().equals(recorded.fingerprint())) {
                        throw new IdentityException("the backup of " + slotName + " holds identity " + restored.publicName()
                                + ", not the slot's " + recorded.publicName() + ": the backup is not this slot's");
                    }
                    run.log("restored identity " + restored.publicName() + " of slot " + held.slot() + " from its backup");
                    return new Outcome.Ready(restored, held.record().identityBackup());
                } finally {
                    bundle.destroy();
                }
            }
        }
    }

    private static String backup(ClaimRun run, IdentityProvider provider, Path dir, String slotName) {
        var keys = run.context().keys();
        if (keys.isEmpty()) {
            return null;
        }
        var bundle = provider.export(dir);
        try {
            return run.calls().run("seal the identity backup of " + slotName,
                    () -> IdentityBackup.seal(bundle, keys.get(), slotName));
        } finally {
            bundle.destroy();
        }
    }
}

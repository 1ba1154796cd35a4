package dev.berth.core.slot;

import java.util.Optional;

/**
 * The hint a slot record's writer keeps beside it in the claim store: the fields choosing a slot
 * needs, so that a booting node reads only the records of the slots it will try (on S3 a listing
 * shows hints, not values). {@code 1;<epoch>;<holder id>;<holder zone>;<holder since millis>;<volume zone>},
 * with empty holder fields for a free slot and an empty zone for a slot without a volume.
 * A hint is only ever a guide: a claim reads the full record at the listed version before its
 * compare-and-set and distrusts a hint that does not describe it.
 */
public final class SlotHint {
    private static final String FORMAT = "1";
    /** The hint of bytes that are not a slot record: no reader trusts it. */
    static final String UNTRUSTED = "untrusted";

    private SlotHint() {
    }

    public static String of(SlotRecord record) {
        var h = record.holder();
        var zone = record.volume() != null ? record.volume().zone()
                : record.volumeIntent() != null ? record.volumeIntent().zone() : "";
        return FORMAT + ';' + record.epoch() + ';' + (h == null ? "" : h.instanceId()) + ';' + (h == null ? "" : h.zone())
                + ';' + (h == null ? "" : Long.toString(h.sinceMillis())) + ';' + zone;
    }

    /** The summary a hint gives; empty for a hint this version cannot read or does not trust. */
    public static Optional<SlotSummary> parse(int slot, String version, String hint) {
        if (hint == null || hint.length() > 1024) {
            return Optional.empty();
        }
        var f = hint.split(";", -1);
        if (f.length != 6 || !f[0].equals(FORMAT)) {
            return Optional.empty();
        }
        var epoch = number(f[1]);
        if (epoch.isEmpty() || epoch.get() == Long.MAX_VALUE) {
            return Optional.empty();
        }
        SlotRecord.Holder holder = null;
        if (!f[2].isEmpty() || !f[3].isEmpty() || !f[4].isEmpty()) {
            var since = number(f[4]);
            if (!SlotCodec.isId(f[2]) || !SlotCodec.isId(f[3]) || since.isEmpty()) {
                return Optional.empty();
            }
            holder = new SlotRecord.Holder(f[2], f[3], since.get());
        }
        if (!f[5].isEmpty() && !SlotCodec.isId(f[5])) {
            return Optional.empty();
        }
        return Optional.of(new SlotSummary(slot, version, epoch.get(), holder, f[5].isEmpty() ? null : f[5]));
    }

    private static Optional<Long> number(String digits) {
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(digits));
    }
}

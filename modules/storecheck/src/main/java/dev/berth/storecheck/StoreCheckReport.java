package dev.berth.storecheck;

import java.time.Duration;
import java.util.List;

/**
 * What {@link StoreCheck} found. {@code safe} is true exactly when there are no findings.
 * {@code passed} lists the probes that behaved; {@code notes} says what could not be cleaned
 * up or measured, which does not make a store unsafe.
 */
public record StoreCheckReport(String store, boolean safe, List<Finding> findings, List<String> passed,
                               List<String> notes, Duration elapsed) {

    public StoreCheckReport {
        findings = List.copyOf(findings);
        passed = List.copyOf(passed);
        notes = List.copyOf(notes);
        if (safe != findings.isEmpty()) {
            throw new IllegalArgumentException("a report is safe exactly when it has no findings");
        }
    }

    /** The text {@code berth store check} prints and {@code berth claim} refuses with. */
    public String summary() {
        var text = new StringBuilder();
        if (safe) {
            text.append("store ").append(store).append(" is safe: ").append(passed.size())
                    .append(" probes behaved (").append(elapsed.toMillis()).append(" ms)");
        } else {
            text.append("store ").append(store).append(" is NOT safe for claims: ").append(findings.size())
                    .append(" problem(s):");
            findings.forEach(f -> text.append("\n  - ").append(f));
            text.append("\nUse a store whose conditional writes are atomic (etcd, AWS S3, a local file store),"
                    + " or fix the server, then run 'berth store check' again.");
        }
        notes.forEach(n -> text.append("\n  note: ").append(n));
        return text.toString();
    }
}

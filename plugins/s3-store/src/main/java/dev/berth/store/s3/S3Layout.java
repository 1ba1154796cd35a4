package dev.berth.store.s3;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a key's sequence objects live: key {@code K} under root {@code R} is the objects
 * {@code R K /v/ <20-digit sequence>}. The current value is the highest sequence; a sequence
 * object is written once, create-only, and never changed.
 */
final class S3Layout {

    static final String MARKER = "/v/";
    /** Where the hints live, beside the keys: {@code R .hints/ K / <20-digit sequence> . <base64url hint>}. No key starts with it. */
    static final String HINTS = ".hints/";
    static final int DIGITS = 20;

    private final String root;

    S3Layout(String root) {
        this.root = root;
    }

    String root() {
        return root;
    }

    /** The listing prefix of all sequences of {@code key}. */
    String versionsPrefix(String key) {
        return root + key + MARKER;
    }

    String object(String key, long sequence) {
        return versionsPrefix(key) + pad(sequence);
    }

    /** The listing prefix of the hints of all keys starting with {@code prefix}. */
    String hintsPrefix(String prefix) {
        return root + HINTS + prefix;
    }

    /** The hint object of sequence {@code sequence} of {@code key}; empty when its name would be too long for S3. */
    Optional<String> hintObject(String key, long sequence, String hint) {
        var name = root + HINTS + key + "/" + pad(sequence) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(hint.getBytes(StandardCharsets.US_ASCII));
        return name.getBytes(StandardCharsets.UTF_8).length <= 1024 ? Optional.of(name) : Optional.empty();
    }

    /** Whether an object lies under the hints (a LIST of the whole root shows them beside the keys). */
    boolean isHint(String objectKey) {
        return objectKey.startsWith(root + HINTS);
    }

    /** A hint object's key, sequence and hint; empty when the object is not one. */
    Optional<HintEntry> parseHint(String objectKey) {
        if (!isHint(objectKey)) {
            return Optional.empty();
        }
        int slash = objectKey.lastIndexOf('/');
        int dot = objectKey.indexOf('.', slash + 1);
        if (dot != slash + 1 + DIGITS || slash < root.length() + HINTS.length() + 1) {
            return Optional.empty();
        }
        String digits = objectKey.substring(slash + 1, dot);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        try {
            var hint = new String(Base64.getUrlDecoder().decode(objectKey.substring(dot + 1)), StandardCharsets.US_ASCII);
            return Optional.of(new HintEntry(objectKey.substring(root.length() + HINTS.length(), slash),
                    Long.parseLong(digits), hint, objectKey));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    record HintEntry(String key, long sequence, String hint, String object) {
    }

    /** The listing prefix of all keys starting with {@code prefix}. */
    String keysPrefix(String prefix) {
        return root + prefix;
    }

    static String pad(long sequence) {
        var digits = Long.toString(sequence);
        return "0".repeat(DIGITS - digits.length()) + digits;
    }

    private static final java.util.regex.Pattern UUID_SUFFIX =
            java.util.regex.Pattern.compile("-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    /**
     * A server's own in-flight object for a conditional write of a layout object (S3Proxy writes
     * {@code <object>-<uuid>} and renames it): not ours, not hostile, and gone once the write ends.
     */
    boolean isServerTemporary(String objectKey) {
        var m = UUID_SUFFIX.matcher(objectKey);
        return m.find() && parse(objectKey.substring(0, m.start())).isPresent();
    }

    /** A sequence object's key and sequence; empty when the object does not follow the layout. */
    Optional<Entry> parse(String objectKey) {
        if (!objectKey.startsWith(root) || objectKey.length() < root.length() + MARKER.length() + DIGITS + 1) {
            return Optional.empty();
        }
        int markerAt = objectKey.length() - DIGITS - MARKER.length();
        if (!objectKey.startsWith(MARKER, markerAt)) {
            return Optional.empty();
        }
        String digits = objectKey.substring(objectKey.length() - DIGITS);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long sequence = Long.parseLong(digits);
        String key = objectKey.substring(root.length(), markerAt);
        if (key.isEmpty() || sequence < 1) {
            return Optional.empty();
        }
        return Optional.of(new Entry(key, sequence));
    }

    /** The sequence of an object listed under {@link #versionsPrefix(String)} of {@code key}, if it is one. */
    Optional<Long> sequenceOf(String key, String objectKey) {
        return parse(objectKey).filter(e -> e.key().equals(key)).map(Entry::sequence);
    }

    record Entry(String key, long sequence) {
    }

    /** A version string of this store: a positive decimal sequence number. */
    static Optional<Long> version(String version) {
        if (version == null || version.isEmpty() || version.length() > 18 || !version.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long sequence = Long.parseLong(version);
        return sequence >= 1 ? Optional.of(sequence) : Optional.empty();
    }
}

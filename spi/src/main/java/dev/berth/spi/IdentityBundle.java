package dev.berth.spi;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Secret: an identity's files by name. Not a record, so that no {@code toString} or
 * {@code equals} ever touches the bytes. {@link #destroy()} zeroes them.
 */
public final class IdentityBundle {
    private final String kind;
    private final Map<String, byte[]> files = new TreeMap<>();

    public IdentityBundle(String kind, Map<String, byte[]> files) {
        this.kind = kind;
        files.forEach((name, bytes) -> this.files.put(name, bytes.clone()));
    }

    public String kind() {
        return kind;
    }

    public Set<String> fileNames() {
        return Collections.unmodifiableSet(files.keySet());
    }

    public byte[] file(String name) {
        var bytes = files.get(name);
        if (bytes == null) {
            throw new IdentityException("identity backup of kind " + kind + " has no file '" + name
                    + "': the backup is incomplete; restore it from another copy");
        }
        return bytes.clone();
    }

    public void destroy() {
        files.values().forEach(b -> Arrays.fill(b, (byte) 0));
    }

    @Override
    public String toString() {
        return "IdentityBundle[kind=" + kind + ", files=" + files.keySet() + "]";
    }
}

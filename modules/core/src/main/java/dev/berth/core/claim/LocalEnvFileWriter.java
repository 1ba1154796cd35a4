package dev.berth.core.claim;

import dev.berth.spi.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SequencedMap;

final class LocalEnvFileWriter implements EnvFileWriter {

    @Override
    public void write(Path file, SequencedMap<String, String> values) {
        var text = new StringBuilder("# written by berth claim; do not edit\n");
        values.forEach((k, v) -> text.append(k).append('=').append(quote(v)).append('\n'));
        try {
            var dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            var tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX filesystem; the default mode stands
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BerthException("could not write the env file " + file + " (" + e
                    + "): make its directory writable for berth or set envFile to another path");
        }
    }

    /** systemd EnvironmentFile and POSIX shells both read double-quoted values with these escapes. */
    private static String quote(String value) {
        if (value.matches("[A-Za-z0-9._:/@+-]*")) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`") + '"';
    }
}

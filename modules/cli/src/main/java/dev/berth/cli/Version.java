package dev.berth.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code berth --version}. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        var descriptor = Version.class.getModule().getDescriptor();
        var v = descriptor != null ? descriptor.rawVersion().orElse("dev") : "dev";
        // Built without string templates or Runtime.Version's streams: each would spin classes on a start that
        // does nothing else (berth --version, see QuickAnswer). java.runtime.version is what Runtime.version() parses.
        return new String[] {String.join("", "berth ", v, " (Java ", System.getProperty("java.runtime.version"), ")")};
    }
}

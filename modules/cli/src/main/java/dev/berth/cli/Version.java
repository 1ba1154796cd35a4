package dev.berth.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code berth --version}. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        var v = Version.class.getModule().getDescriptor() != null
                ? Version.class.getModule().getDescriptor().rawVersion().orElse("dev") : "dev";
        return new String[] {"berth " + v + " (Java " + Runtime.version() + ")"};
    }
}

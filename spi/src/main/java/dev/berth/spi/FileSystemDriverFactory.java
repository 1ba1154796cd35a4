package dev.berth.spi;

/** Creates a named {@link FileSystemDriver} ("linux", "sim", ...). */
public interface FileSystemDriverFactory {
    String name();

    FileSystemDriver create(PluginConfig config);
}

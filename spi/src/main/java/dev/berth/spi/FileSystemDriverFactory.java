package dev.berth.spi;

/** Creates a named {@link FileSystemDriver} ("linux", "sim", ...). */
public interface FileSystemDriverFactory {
    String name();

    FileSystemDriver create(PluginConfig config);

    /**
     * Creates the provider with what berth hands it ({@link PluginContext}): the claim store, the
     * clock, a logger, berth's home. By default, with its settings only.
     */
    default FileSystemDriver create(PluginContext context) {
        return create(context.settings());
    }
}

/**
 * The berth command line. Wiring is generated at compile time by avaje-inject; picocli
 * reads the command classes' annotations, so the command package is opened to it.
 */
module dev.berth.cli {
    requires dev.berth.core;
    requires dev.berth.sim;
    requires dev.berth.storecheck;
    requires io.avaje.inject;
    requires io.avaje.jsonb;
    requires info.picocli;
    requires org.snakeyaml.engine;
    requires java.logging;
    // the Prometheus client's text-format writer and its model (automatic modules, in lib/ of the image)
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.config;

    // picocli sets @Option fields of the commands reflectively.
    opens dev.berth.cli to info.picocli;

    // The generated wiring, found by avaje-inject through this line.
    provides io.avaje.inject.spi.InjectExtension with dev.berth.cli.CliModule;
    // The generated JSON adapters of the command outputs.
    provides io.avaje.jsonb.spi.JsonbExtension with dev.berth.cli.CliJsonComponent;

    uses dev.berth.spi.CloudProviderFactory;
    uses dev.berth.spi.ClaimStoreFactory;
    uses dev.berth.spi.BlockDevicesFactory;
    uses dev.berth.spi.FileSystemDriverFactory;
    uses dev.berth.spi.IdentityProviderFactory;
    uses dev.berth.spi.KeyProviderFactory;
}

package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.store.tck.PluginLayerProbe;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plugin in its own module layer (the SDK as automatic modules), against moto. */
class S3PluginLayerTest {

    @Test
    void loadsInItsOwnLayerAndTalksToS3() throws Exception {
        var server = S3TestServers.MOTO;
        server.ensureBucket();
        var path = new ArrayList<Path>();
        path.add(Path.of("target/classes"));
        for (String jar : Files.readString(Path.of("target/plugin-layer.path")).strip().split(File.pathSeparator)) {
            path.add(Path.of(jar));
        }
        var outcome = PluginLayerProbe.run(path, "dev.berth.store.s3",
                URI.create("s3://" + S3TestServers.BUCKET + "/berth-layer-test?pathStyle=true&endpoint=" + server.endpoint()),
                server.config().values());
        System.out.println("[S3PluginLayerTest] " + outcome);
        assertEquals("dev.berth.store.s3", outcome.providerModule());
        assertEquals("Written", outcome.writeResult());
        assertEquals("from the plugin layer", outcome.readBack());
    }
}

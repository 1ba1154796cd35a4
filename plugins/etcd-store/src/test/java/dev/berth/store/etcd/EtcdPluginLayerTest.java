package dev.berth.store.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.store.tck.PluginLayerProbe;
import dev.berth.store.tck.TestServers;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plugin in its own module layer (the JSON gateway client and avaje-json), against the real etcd. */
class EtcdPluginLayerTest {

    @Test
    void loadsInItsOwnLayerAndTalksToEtcd() throws Exception {
        var endpoint = URI.create(TestServers.require(TestServers.ETCD));
        var path = new ArrayList<Path>();
        path.add(Path.of("target/classes"));
        for (String jar : Files.readString(Path.of("target/plugin-layer.path")).strip().split(File.pathSeparator)) {
            path.add(Path.of(jar));
        }
        var outcome = PluginLayerProbe.run(path, "dev.berth.store.etcd",
                URI.create("etcd://" + endpoint.getHost() + ":" + endpoint.getPort() + "/berth-layer-test"), Map.of());
        System.out.println("[EtcdPluginLayerTest] " + outcome);
        assertEquals("dev.berth.store.etcd", outcome.providerModule());
        assertEquals("Written", outcome.writeResult());
        assertEquals("from the plugin layer", outcome.readBack());
    }
}

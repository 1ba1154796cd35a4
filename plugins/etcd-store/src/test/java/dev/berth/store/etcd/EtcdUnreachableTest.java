package dev.berth.store.etcd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.PluginConfig;
import dev.berth.spi.StoreException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcdUnreachableTest {

    @Test
    void anEtcdThatDoesNotAnswerGivesARetryableErrorWithinTheBound() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        var config = new PluginConfig("store", Map.of("timeoutMillis", "1500", "connectTimeoutMillis", "500"));
        try (var store = new EtcdClaimStoreFactory().open(URI.create("etcd://127.0.0.1:" + port + "/x"), config)) {
            long started = System.nanoTime();
            var e = assertThrows(StoreException.class, () -> store.putIfAbsent("slots/0", new byte[] {1}));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(e.retryable(), e.getMessage());
            assertTrue(e.getMessage().contains("slots/0") && e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            assertTrue(millis < 5000, "the call must give up within its bound, took " + millis + " ms");
        }
    }
}

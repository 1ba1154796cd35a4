package dev.berth.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UriQueryTest {

    @Test
    void namesAndValuesAreDecodedInOrderAndTheLastOfTwoWins() {
        var q = UriQuery.parse(URI.create("s3://b/p?region=eu-west-1&endpoint=http%3A%2F%2Fh%3A9000&pathStyle&region=us-east-1"));
        assertEquals(List.of("region", "endpoint", "pathStyle"), List.copyOf(q.keySet()));
        assertEquals("us-east-1", q.get("region"));
        assertEquals("http://h:9000", q.get("endpoint"));
        assertEquals("", q.get("pathStyle"));
    }

    @Test
    void noQueryOrAnEmptyOneHasNoParameters() {
        assertEquals(Map.of(), UriQuery.parse(URI.create("etcd://h:2379/p")));
        assertEquals(Map.of(), UriQuery.parse(URI.create("etcd://h:2379/p?")));
        assertEquals(Map.of(), UriQuery.parse(URI.create("etcd://h:2379/p?&&")));
    }
}

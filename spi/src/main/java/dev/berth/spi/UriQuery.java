package dev.berth.spi;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The query parameters of a store URI ({@code s3://bucket/prefix?region=eu-west-1&endpoint=...}),
 * names and values URL-decoded, in their order; a name without {@code =} has the value "", and a
 * name given twice keeps its last value. One parser for every store plugin and the CLI.
 */
public final class UriQuery {
    private UriQuery() {
    }

    public static Map<String, String> parse(URI uri) {
        var result = new LinkedHashMap<String, String>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return Collections.unmodifiableMap(result);
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            result.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return Collections.unmodifiableMap(result);
    }
}

package dev.berth.spi;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule for what berth never prints: the value of a setting whose name names a secret,
 * and a password in a URI's user information or query. Every message, log line and
 * {@code toString} that shows settings or a store URI goes through here.
 */
public final class Redaction {
    /** What a hidden value prints as. */
    public static final String HIDDEN = "***";

    private static final Pattern SECRET_NAME = Pattern.compile(
            "secret|passw|passphrase|token|credential|private|auth|(?<!public)key$|(?<!public)keys$|pin$");

    private Redaction() {
    }

    /**
     * Whether a setting's value must never be shown: its name (the last dotted part, any case)
     * says secret, password, passphrase, token, credential, private, auth, or ends in "key"
     * (an {@code accessKeyId}, {@code keyId} or {@code publicKey} is not a secret).
     */
    public static boolean isSecret(String key) {
        var last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return SECRET_NAME.matcher(last).find();
    }

    /** A setting's value as it may be printed. */
    public static String value(String key, String value) {
        return isSecret(key) ? HIDDEN : value;
    }

    /** A URI as it may be printed: the password of its user information and secret query values hidden. */
    public static String uri(URI uri) {
        return uri == null ? "null" : uri(uri.toString());
    }

    /** A URI (or text that may not parse as one) as it may be printed. */
    public static String uri(String text) {
        if (text == null) {
            return "null";
        }
        int scheme = text.indexOf("://");
        var result = new StringBuilder(text);
        if (scheme >= 0) {
            int start = scheme + 3;
            int end = start;
            while (end < result.length() && "/?#".indexOf(result.charAt(end)) < 0) {
                end++;
            }
            int at = result.lastIndexOf("@", end - 1);
            if (at >= start) {
                int colon = result.indexOf(":", start);
                if (colon >= 0 && colon < at) {
                    result.replace(colon + 1, at, HIDDEN);
                } else {
                    // user information without a colon may still be a token: keep only that there was one
                    result.replace(start, at, HIDDEN);
                }
            }
        }
        int query = result.indexOf("?");
        if (query < 0) {
            return result.toString();
        }
        var out = new StringBuilder(result.substring(0, query + 1));
        var pairs = result.substring(query + 1).split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            var pair = pairs[i];
            int eq = pair.indexOf('=');
            out.append(i == 0 ? "" : "&");
            if (eq > 0 && isSecret(pair.substring(0, eq))) {
                out.append(pair, 0, eq + 1).append(HIDDEN);
            } else {
                out.append(pair);
            }
        }
        return out.toString();
    }
}

package dev.berth.identity.x509;

import dev.berth.spi.IdentityException;
import dev.berth.spi.PluginConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;

/** The settings for a new X.509 identity: {@code algorithm}, {@code subject}, {@code sans}. */
record CertificateSettings(Algorithm algorithm, X500Name subject, List<GeneralName> sans) {
    static final String ALGORITHM = "algorithm";
    static final String SUBJECT = "subject";
    static final String SANS = "sans";
    private static final Pattern DNS = Pattern.compile(
            "(\\*\\.)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    enum Algorithm {
        ECDSA_P256("ecdsa-p256"), ED25519("ed25519");

        final String setting;

        Algorithm(String setting) {
            this.setting = setting;
        }
    }

    CertificateSettings {
        sans = List.copyOf(sans);
    }

    static CertificateSettings from(PluginConfig config) {
        return new CertificateSettings(algorithm(config), subject(config), sans(config));
    }

    private static Algorithm algorithm(PluginConfig config) {
        var value = config.get(ALGORITHM, Algorithm.ECDSA_P256.setting).trim().toLowerCase(Locale.ROOT);
        for (var a : Algorithm.values()) {
            if (a.setting.equals(value)) {
                return a;
            }
        }
        throw new IdentityException("setting '" + config.section() + "." + ALGORITHM + "' is '" + value
                + "': use ecdsa-p256 (the default) or ed25519");
    }

    private static X500Name subject(PluginConfig config) {
        var value = config.get(SUBJECT, "CN=berth-node");
        try {
            // RFC 2253 order, most specific first ("CN=db-1,O=Example"), as publicName prints it back.
            var name = X500Name.getInstance(new X500Principal(value).getEncoded());
            if (name.getRDNs().length == 0) {
                throw new IllegalArgumentException("empty");
            }
            return name;
        } catch (IllegalArgumentException e) {
            throw new IdentityException("setting '" + config.section() + "." + SUBJECT + "' is '" + value
                    + "', which is not a distinguished name: write it like 'CN=db-1,O=Example'", e);
        }
    }

    private static List<GeneralName> sans(PluginConfig config) {
        var names = new ArrayList<GeneralName>();
        for (var raw : config.get(SANS, "").split(",")) {
            var san = raw.trim();
            if (san.isEmpty()) {
                continue;
            }
            if (IPV4.matcher(san).matches() || san.contains(":")) {
                try {
                    names.add(new GeneralName(GeneralName.iPAddress, san));
                    continue;
                } catch (IllegalArgumentException e) {
                    throw badSan(config, san);
                }
            }
            if (!DNS.matcher(san).matches() || san.length() > 253) {
                throw badSan(config, san);
            }
            names.add(new GeneralName(GeneralName.dNSName, san));
        }
        return names;
    }

    private static IdentityException badSan(PluginConfig config, String san) {
        return new IdentityException("setting '" + config.section() + "." + SANS + "' holds '" + san
                + "', which is neither a DNS name nor an IP address: list names like 'db-1.internal,10.0.1.5'");
    }
}

package dev.berth.spi;

/** Creates a named {@link KeyProvider} ("passphrase", "kms", "sim"). */
public interface KeyProviderFactory {
    String name();

    KeyProvider create(PluginConfig config);

    /**
     * Creates the provider with what berth hands it ({@link PluginContext}): the claim store, the
     * clock, a logger, berth's home. By default, with its settings only.
     */
    default KeyProvider create(PluginContext context) {
        return create(context.settings());
    }

    /**
     * The permissions this provider's calls need for what the configuration turns on ({@code berth iam-policy}).
     * None by default: a provider that calls no access-controlled API needs none.
     */
    default java.util.List<PolicyStatement> permissions(PermissionRequest request) {
        return java.util.List.of();
    }
}

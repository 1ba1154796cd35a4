package dev.berth.spi;

/** Creates a named, configured {@link CloudProvider} ("aws", "static", "sim", ...). */
public interface CloudProviderFactory {
    String name();

    CloudProvider create(PluginConfig config);

    /**
     * Creates the provider with what berth hands it ({@link PluginContext}): the claim store, the
     * clock, a logger, berth's home. By default, with its settings only.
     */
    default CloudProvider create(PluginContext context) {
        return create(context.settings());
    }

    /**
     * The permissions this provider's calls need for what the configuration turns on ({@code berth iam-policy}).
     * None by default: a provider that calls no access-controlled API needs none.
     */
    default java.util.List<PolicyStatement> permissions(PermissionRequest request) {
        return java.util.List.of();
    }

    /**
     * Whether the provider gives a slot its own address or network interface (the {@code network:} section,
     * DESIGN step 6b). Off by default, as {@link CloudProvider}'s address and interface calls refuse by default:
     * berth then refuses a {@code network:} section for this provider before it claims anything.
     */
    default boolean slotNetwork() {
        return false;
    }
}

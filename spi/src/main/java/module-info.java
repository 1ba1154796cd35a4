/**
 * The berth plugin contract. Depends on java.base only, so a third-party plugin needs
 * nothing but this jar. Plugins provide one of the {@code *Factory} services.
 */
module dev.berth.spi {
    exports dev.berth.spi;

    uses dev.berth.spi.CloudProviderFactory;
    uses dev.berth.spi.ClaimStoreFactory;
    uses dev.berth.spi.BlockDevicesFactory;
    uses dev.berth.spi.FileSystemDriverFactory;
    uses dev.berth.spi.IdentityProviderFactory;
    uses dev.berth.spi.KeyProviderFactory;
}

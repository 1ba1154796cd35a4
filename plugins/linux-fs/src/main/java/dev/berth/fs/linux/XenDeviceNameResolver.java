package dev.berth.fs.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a device by the name asked for at attach time. On Xen instances a volume attached
 * as {@code /dev/sdf} appears as {@code /dev/xvdf} (and the other way round); elsewhere the
 * name is taken as it is: a device under the dev root ({@code /dev/loop3},
 * {@code /dev/disk/by-id/...}) or any other existing path (a disk image for non-AWS use).
 */
final class XenDeviceNameResolver {
    private final Path devRoot;

    XenDeviceNameResolver(Path devRoot) {
        this.devRoot = devRoot;
    }

    Optional<Path> resolve(String requestedDeviceName) {
        if (requestedDeviceName == null || requestedDeviceName.isBlank()) {
            return Optional.empty();
        }
        for (var candidate : candidates(requestedDeviceName.trim())) {
            if (Files.exists(candidate)) {
                try {
                    return Optional.of(candidate.toRealPath());
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The paths to look at, in order: the name itself, then its Xen twin (sdX and xvdX). */
    List<Path> candidates(String requested) {
        String relative;
        if (requested.startsWith("/dev/")) {
            relative = requested.substring("/dev/".length());
        } else if (requested.startsWith("/")) {
            return List.of(Path.of(requested));
        } else {
            relative = requested;
        }
        var names = new ArrayList<String>();
        names.add(relative);
        if (relative.startsWith("sd")) {
            names.add("xvd" + relative.substring(2));
        } else if (relative.startsWith("xvd")) {
            names.add("sd" + relative.substring(3));
        }
        return names.stream().map(devRoot::resolve).toList();
    }
}

package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VolumeClientTokenTest {

    @Test
    void aReRunOfTheSameCreateGivesTheSameTokenWithinEc2sLimit() {
        var token = VolumeClientToken.of("avax", 3, "us-east-1a", 7);
        assertEquals(token, VolumeClientToken.of("avax", 3, "us-east-1a", 7));
        assertEquals(46, token.length());
        assertTrue(token.length() <= 64 && token.matches("berth-[0-9a-f]{40}"), token);
    }

    @Test
    void everyInputChangesTheTokenAndFieldsCannotRunIntoEachOther() {
        var token = VolumeClientToken.of("avax", 3, "us-east-1a", 7);
        assertNotEquals(token, VolumeClientToken.of("avay", 3, "us-east-1a", 7));
        assertNotEquals(token, VolumeClientToken.of("avax", 4, "us-east-1a", 7));
        assertNotEquals(token, VolumeClientToken.of("avax", 3, "us-east-1b", 7));
        assertNotEquals(token, VolumeClientToken.of("avax", 3, "us-east-1a", 8), "a new epoch makes a new volume");
        assertNotEquals(VolumeClientToken.of("a1", 2, "z", 1), VolumeClientToken.of("a", 12, "z", 1));
    }
}

package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3LayoutTest {
    private final S3Layout layout = new S3Layout("berth/");

    @Test
    void objectNamesRoundTrip() {
        String object = layout.object("clusters/c/slots/3", 42);
        assertEquals("berth/clusters/c/slots/3/v/00000000000000000042", object);
        assertEquals(Optional.of(new S3Layout.Entry("clusters/c/slots/3", 42)), layout.parse(object));
    }

    @Test
    void aKeyThatLooksLikeTheLayoutIsParsedFromTheEnd() {
        String tricky = "a/v/" + S3Layout.pad(1);
        String object = layout.object(tricky, 2);
        assertEquals(Optional.of(new S3Layout.Entry(tricky, 2)), layout.parse(object));
        assertTrue(layout.sequenceOf("a", object).isEmpty(), "a sub-key's object is not a sequence of 'a'");
        assertEquals(Optional.of(1L), layout.sequenceOf("a", layout.object("a", 1)));
    }

    @Test
    void foreignObjectsDoNotParse() {
        assertTrue(layout.parse("berth/notes.txt").isEmpty());
        assertTrue(layout.parse("berth/a/v/123").isEmpty());
        assertTrue(layout.parse("berth/a/v/0000000000000000000x").isEmpty());
        assertTrue(layout.parse("other/a/v/" + S3Layout.pad(1)).isEmpty());
        assertTrue(layout.parse("berth/a/v/" + S3Layout.pad(0)).isEmpty());
    }

    @Test
    void versionsArePositiveDecimals() {
        assertEquals(Optional.of(7L), S3Layout.version("7"));
        assertTrue(S3Layout.version("0").isEmpty());
        assertTrue(S3Layout.version("-1").isEmpty());
        assertTrue(S3Layout.version("\"etag\"").isEmpty());
        assertTrue(S3Layout.version("9999999999999999999999").isEmpty());
    }

    @org.junit.jupiter.api.Test
    void aServersInFlightCopyOfALayoutObjectIsRecognisedAndNothingElseIs() {
        var object = "berth/clusters/c/slots/1/v/00000000000000000003";
        org.junit.jupiter.api.Assertions.assertTrue(
                layout.isServerTemporary(object + "-d82717f1-c34b-434a-aca5-5bcfbfcdafc5"));
        org.junit.jupiter.api.Assertions.assertFalse(layout.isServerTemporary(object));
        org.junit.jupiter.api.Assertions.assertFalse(
                layout.isServerTemporary("berth/clusters/c/slots/1/junk-d82717f1-c34b-434a-aca5-5bcfbfcdafc5"));
    }
}

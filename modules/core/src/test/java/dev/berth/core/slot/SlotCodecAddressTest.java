package dev.berth.core.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slot's address (DESIGN step 6b) is an optional field: old records read as before, new ones are checked. */
class SlotCodecAddressTest {
    private static final String KEY = "clusters/lab/slots/0";
    private static final String OLD = "{\"schema\":1,\"cluster\":\"lab\",\"slot\":0,\"epoch\":3,"
            + "\"holder\":{\"instanceId\":\"i-1\",\"zone\":\"a\",\"sinceMillis\":5},\"retiredVolumes\":[],\"formatted\":true}";

    private static SlotRecord decode(String json) {
        return new SlotCodec().decode(KEY, 0, "lab", json.getBytes(StandardCharsets.UTF_8));
    }

    private static String withAddress(String address) {
        return OLD.substring(0, OLD.length() - 1) + ",\"address\":" + address + "}";
    }

    @Test
    void aRecordWrittenBeforeAddressesExistedReadsWithoutOne() {
        var record = decode(OLD);
        assertNull(record.address());
        assertEquals(3, record.epoch());
    }

    @Test
    void anAddressSurvivesAWriteAndARead() {
        var address = SlotRecord.AddressRef.none().withAllocationToken("berth-eip-0a1b").withAllocation("eipalloc-0123456789abcdef0",
                "203.0.113.7").withAssociatedWith("i-1").withInterfaceToken("berth-eni-1", "us-east-1a")
                .withInterface("eni-0123", "us-east-1a", "10.0.1.9", List.of("eni-0old")).withAttachedTo("i-1");
        var record = decode(OLD).withAddress(address);
        var codec = new SlotCodec();
        var back = codec.decode(KEY, 0, "lab", codec.encode(record));
        assertEquals(address, back.address());
        assertEquals(record, back);
    }

    @Test
    void aMalformedPublicIpIsRefusedWithTheFieldNamed() {
        var e = assertThrows(CorruptSlotRecordException.class,
                () -> decode(withAddress("{\"allocationId\":\"eipalloc-1\",\"publicIp\":\"203.0.113.999\"}")));
        assertTrue(e.getMessage().contains("address.publicIp") && e.getMessage().contains(KEY), e.getMessage());
    }

    @Test
    void aMalformedInterfaceIdIsRefused() {
        var e = assertThrows(CorruptSlotRecordException.class,
                () -> decode(withAddress("{\"interfaceId\":\"eni 1; rm\"}")));
        assertTrue(e.getMessage().contains("address.interfaceId"), e.getMessage());
    }
}

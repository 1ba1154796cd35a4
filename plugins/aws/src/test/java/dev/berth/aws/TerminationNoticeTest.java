package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.PluginConfig;
import dev.berth.spi.TerminationNotice;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The keeper's notice comes from IMDS: the target lifecycle state, then the spot interruption notice. */
class TerminationNoticeTest {

    @Test
    void noNoticeWhileInServiceThenTheLifecycleStateThenTheSpotNotice() throws Exception {
        try (var fixture = ImdsFixture.of("i-0abc", "us-east-1b", "g")) {
            var settings = new PluginConfig("providerSettings", Map.of("imdsEndpoint", fixture.endpoint().toString(),
                    "region", "us-east-1", "lifecycleHook", "berth-release"));
            try (var provider = new AwsCloudProviderFactory().create(settings)) {
                assertEquals(Optional.empty(), provider.terminationNotice());
                fixture.put("meta-data/autoscaling/target-lifecycle-state", "InService");
                assertEquals(Optional.empty(), provider.terminationNotice());

                fixture.put("meta-data/autoscaling/target-lifecycle-state", "Terminated");
                var notice = provider.terminationNotice().orElseThrow();
                assertTrue(notice.reason().contains("Terminated"), notice.reason());
                assertEquals(Optional.of("berth-release"), notice.hookName());

                fixture.put("meta-data/autoscaling/target-lifecycle-state", "InService");
                fixture.put("meta-data/spot/instance-action", "{\"action\": \"terminate\", \"time\": \"2026-01-01T00:00:00Z\"}");
                var spot = provider.terminationNotice().orElseThrow();
                assertTrue(spot.reason().startsWith("spot interruption notice"), spot.reason());
                assertEquals(TerminationNotice.Kind.SPOT, spot.kind());
                assertEquals(Optional.empty(), spot.hookName(), "a spot interruption has no lifecycle hook to complete");
            }
        }
    }

    @Test
    void aScaleInBackToTheWarmPoolIsANoticeToo() throws Exception {
        for (var target : new String[] {"Warmed:Stopped", "Warmed:Running", "Warmed:Hibernated"}) {
            try (var fixture = ImdsFixture.of("i-0abc", "us-east-1b", "g")) {
                var settings = new PluginConfig("providerSettings", Map.of("imdsEndpoint", fixture.endpoint().toString(),
                        "region", "us-east-1", "lifecycleHook", "berth-release"));
                try (var provider = new AwsCloudProviderFactory().create(settings)) {
                    fixture.put("meta-data/autoscaling/target-lifecycle-state", target);
                    var notice = provider.terminationNotice().orElseThrow(() -> new AssertionError(target + " gave no notice"));
                    assertEquals(TerminationNotice.Kind.WARM_POOL, notice.kind(), target);
                    assertTrue(notice.reason().contains(target), notice.reason());
                    assertEquals(Optional.empty(), notice.hookName(), "the termination hook is for Terminated only");
                }
            }
        }
    }
}

package dev.retry.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The demo a newcomer sees in the console: traffic through the phases and a summary every few seconds. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
        properties = {"sample.demo.summary-seconds=1", "sample.demo.phase-seconds=1", "sample.demo.calls-per-second=20"
        })
class DemoTrafficTests {

    @Test
    void theDemoGoesThroughItsPhasesAndSummarisesThem(CapturedOutput output) {
        await().atMost(Duration.ofSeconds(20)).until(() -> output.getOut().contains("Demo phase: outage"));
        assertThat(output.getOut())
                .contains("Demo phase: healthy", "Demo phase: flaky", "Demo phase: slow-tail")
                .containsPattern(
                        "\\[[a-z-]+\\] calls=\\d+ retries=\\d+ fallbacks=\\d+ hedges-won=\\d+ rejected=\\d+"
                                + " timeouts=\\d+ bulkhead-full=\\d+ breakers: warehouse=[A-Z_]+ search p50/p99 hedged=\\d+/\\d+ ms unhedged=\\d+/\\d+ ms");
    }
}

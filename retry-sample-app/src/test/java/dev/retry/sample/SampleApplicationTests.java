package dev.retry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
class SampleApplicationTests {

    @Autowired
    FlakyServiceDemo demo;

    @Test
    void theDemoRetriesTheFlakyServiceUntilItAnswers() {
        assertThat(demo.report()).hasSize(4);
        assertThat(demo.report().get(0)).startsWith("attempt 1 failed (connection reset by inventory service)");
        assertThat(demo.report().get(1)).startsWith("attempt 2 failed");
        assertThat(demo.report().get(2)).startsWith("succeeded on attempt 3");
        assertThat(demo.report().get(3)).startsWith("stock level: 42").endsWith("1 distinct key)");
    }
}

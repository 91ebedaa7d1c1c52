package dev.retry.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.spring.observation.DefaultRetryCallObservationConvention;
import dev.retry.spring.observation.ObservedMethod;
import dev.retry.spring.observation.RetryCallContext;
import dev.retry.spring.observation.RetryCallObservationConvention;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;

/**
 * The Java example of docs/observability.md's "Observations and traces", between its {@code tag::}
 * and {@code end::} lines exactly as the page shows it ({@link SnippetsTests} holds them equal), and
 * a check that it does what the page says: the contract's keys, and one more.
 */
class ObservationSnippets {

    // tag::call-convention[]
    @Bean
    RetryCallObservationConvention shopCallConvention() {
        return new DefaultRetryCallObservationConvention() {
            @Override
            public KeyValues getLowCardinalityKeyValues(RetryCallContext context) {
                return super.getLowCardinalityKeyValues(context).and("team", "pricing");
            }
        };
    }
    // end::call-convention[]

    public String price() {
        return "9.99";
    }

    @Test
    void theConventionKeepsTheContractsKeysAndAddsItsOwn() throws NoSuchMethodException {
        RetryCallContext context = new RetryCallContext(new ObservedMethod(
                ObservationSnippets.class.getMethod("price"), ObservationSnippets.class, "prices", null, null, null, null));

        KeyValues keys = shopCallConvention().getLowCardinalityKeyValues(context);

        assertThat(keys).contains(
                KeyValue.of("method", "ObservationSnippets.price"),
                KeyValue.of("retry.policy", "prices"),
                KeyValue.of("team", "pricing"));
        assertThat(shopCallConvention().getName()).isEqualTo("retry.call");
    }
}

package dev.retry.spring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations {@code retry} makes, with their low-cardinality keys: one {@code retry.call} per
 * annotated call and, as its children, one {@code retry.attempt} per attempt, hedges included.
 */
public enum RetryObservationDocumentation implements ObservationDocumentation {

    /** One annotated call, from the caller's point of view: all its attempts, waits and fallback. */
    CALL {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultRetryCallObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return CallKeys.values();
        }
    },

    /** One attempt of a call: the first, a retry or a hedge; a child of its {@link #CALL}. */
    ATTEMPT {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultRetryAttemptObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return AttemptKeys.values();
        }
    };

    /** The keys of a {@code retry.call}; the policy keys are there only for the policies the method carries. */
    public enum CallKeys implements KeyName {
        /** {@code InventoryClient.stock}: the bean's simple class name and the method's name. */
        METHOD {
            @Override
            public String asString() {
                return "method";
            }
        },
        /**
         * As the {@code retry.calls} meter counts it ({@code success}, {@code success_after_retry},
         * {@code failure}, {@code failure_after_retry}), or {@code success} / {@code failure} for a
         * method without {@code @Retryable}. Judged by the last attempt, so a call a fallback
         * answered after its attempts failed is a failure here, as on the meter.
         */
        OUTCOME {
            @Override
            public String asString() {
                return "outcome";
            }
        },
        /** The {@code @Retryable} policy's name. */
        RETRY_POLICY {
            @Override
            public String asString() {
                return "retry.policy";
            }
        },
        /** The {@code @CircuitBreaker}'s name. */
        CIRCUIT_BREAKER {
            @Override
            public String asString() {
                return "circuitbreaker.name";
            }
        },
        /** The {@code @Hedged} policy's name. */
        HEDGE {
            @Override
            public String asString() {
                return "hedge.name";
            }
        },
        /** The {@code @Timeout}'s name. */
        TIMEOUT {
            @Override
            public String asString() {
                return "timeout.name";
            }
        },
        /** The {@code @Bulkhead}'s name. */
        BULKHEAD {
            @Override
            public String asString() {
                return "bulkhead.name";
            }
        }
    }

    /** The keys of a {@code retry.attempt}. */
    public enum AttemptKeys implements KeyName {
        /** The attempt's number, 1-based; a hedge has the number of the attempt it hedges. */
        ATTEMPT {
            @Override
            public String asString() {
                return "attempt";
            }
        },
        /** {@code first}, {@code retry} or {@code hedge}: see {@link AttemptKind}. */
        KIND {
            @Override
            public String asString() {
                return "kind";
            }
        },
        /** {@code success}, {@code failure}, {@code timeout}, {@code rejected} or {@code cancelled}: see {@link AttemptOutcome}. */
        OUTCOME {
            @Override
            public String asString() {
                return "outcome";
            }
        }
    }
}

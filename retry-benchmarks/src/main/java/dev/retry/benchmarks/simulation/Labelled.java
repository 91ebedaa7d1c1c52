package dev.retry.benchmarks.simulation;

/** A scenario's result for one policy, found again by the policy's label. */
interface Labelled {

    String policy();
}

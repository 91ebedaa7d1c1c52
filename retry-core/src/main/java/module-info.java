/**
 * The {@code retry} engine and the annotations that name its policies. Only API packages are
 * exported; everything that implements them is package-private, so nothing internal can be reached
 * or depended upon.
 */
module dev.retry.core {
    exports dev.retry.core;
    exports dev.retry.annotation;
}

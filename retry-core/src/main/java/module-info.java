/**
 * The {@code retry} engine and the annotations that name its policies. Only API packages are
 * exported; everything that implements them is package-private, so nothing internal can be reached
 * or depended upon.
 */
module dev.retry.core {
    // Compile time only: the nullness annotations on the API, read by NullAway here and by a user's
    // IDE or checker. Transitive, so that a module compiled against the core sees them too.
    requires static transitive org.jspecify;

    exports dev.retry.core;
    exports dev.retry.annotation;
}

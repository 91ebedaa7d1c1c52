/**
 * The {@code retry} engine. Only the API package is exported; everything that implements it is
 * package-private inside that package, so nothing internal can be reached or depended upon.
 */
module dev.retry.core {
    exports dev.retry.core;
}

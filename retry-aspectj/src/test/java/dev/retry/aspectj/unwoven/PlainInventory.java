package dev.retry.aspectj.unwoven;

import dev.retry.annotation.Retryable;

/** Annotated, but left out of the compile-time weaving (see this module's pom): as javac wrote it. */
public class PlainInventory {

    @Retryable
    public String stock() {
        return "7";
    }
}

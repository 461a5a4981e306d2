package dev.neurite.spi;

/** The parameter record of a component that takes none; it may be written as its bare name. */
public record NoParams() {}

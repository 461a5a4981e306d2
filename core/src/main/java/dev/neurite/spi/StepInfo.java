package dev.neurite.spi;

/** Where training is when an optimizer step happens: the 1-based step count and epoch. */
public record StepInfo(long step, int epoch) {}

package dev.neurite.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a component's results may differ between runs with the same seed (it races
 * threads, reads a clock, calls native code with its own reductions...). With
 * {@code determinism: strict}, the default, an experiment naming such a component is refused with
 * a config error; {@code determinism: relaxed} accepts it and the run's manifest lists it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Nondeterministic {
  /** Why, for the error message: "sums in the order threads finish". */
  String value();
}

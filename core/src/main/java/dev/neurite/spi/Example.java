package dev.neurite.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How to use a component, for {@code ./neurite plugins describe} and for {@code plugins verify},
 * which runs the component's contract with these settings.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Example {
  /** Parameters as a YAML mapping, e.g. {@code "units: 4"}; empty when every parameter has a default. */
  String value() default "";

  /** A layer's per-sample input shape, or a loss's per-sample output shape. */
  int[] shape() default {6};

  /** For an optimizer: steps it needs, with these parameters, to bring the test quadratic to 1%. */
  int steps() default 500;
}

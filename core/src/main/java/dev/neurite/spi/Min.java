package dev.neurite.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Lower bound of a numeric parameter, checked when the config is validated. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Min {
  double value();

  /** When true the bound itself is not allowed. */
  boolean exclusive() default false;
}

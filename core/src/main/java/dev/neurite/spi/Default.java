package dev.neurite.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a parameter takes when the YAML leaves it out, written as YAML
 * ({@code "0.5"}, {@code "true"}, {@code "[]"}, {@code "he_normal"}, {@code "{type: uniform, scale: 0.1}"}).
 * A parameter without a default is required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
  String value();
}

package dev.neurite.engine;

import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The engines on the class path, by name. */
public final class Engines {
  private Engines() {}

  /** The engines {@code loader} can see, in ServiceLoader order. */
  public static List<Engine> available(ClassLoader loader) {
    List<Engine> engines = new ArrayList<>();
    ServiceLoader.load(Engine.class, loader).forEach(engines::add);
    return engines;
  }

  /** The engine called {@code name}; an error naming the engines there are, and how the spark engine gets on the class path. */
  public static Engine named(String name, ClassLoader loader) {
    List<Engine> engines = available(loader);
    for (Engine e : engines) if (e.name().equals(name)) return e;
    List<String> names = engines.stream().map(Engine::name).toList();
    String suggestion = Suggestions.closest(name, names).map(n -> " (did you mean '" + n + "'?)").orElse("");
    throw new NeuriteException("no engine named '" + name + "' is on the class path"
        + (names.isEmpty() ? " (there is none)" : "; there is " + String.join(", ", names) + suggestion)
        + ". The launcher adds the spark engine when it sees --engine spark; with a java command line, add "
        + "engines/spark/target/neurite-spark.jar and engines/spark/target/lib/* to the class path (docs/spark.md)");
  }
}

package dev.neurite.spi;

import java.util.List;
import java.util.Optional;

/**
 * The kinds of component a config can name. Core knows these kinds, never a concrete component:
 * those come from plugins.
 */
public final class ComponentKind<T> {
  public static final ComponentKind<Layer> LAYER = new ComponentKind<>("layer", Layer.class);
  public static final ComponentKind<Loss> LOSS = new ComponentKind<>("loss", Loss.class);
  public static final ComponentKind<Optimizer> OPTIMIZER = new ComponentKind<>("optimizer", Optimizer.class);
  public static final ComponentKind<Regularizer> REGULARIZER = new ComponentKind<>("regularizer", Regularizer.class);
  public static final ComponentKind<Initializer> INITIALIZER = new ComponentKind<>("initializer", Initializer.class);
  public static final ComponentKind<DataSource> DATA_SOURCE = new ComponentKind<>("data source", DataSource.class);
  public static final ComponentKind<Transform> TRANSFORM = new ComponentKind<>("transform", Transform.class);
  public static final ComponentKind<Augmentation> AUGMENTATION = new ComponentKind<>("augmentation", Augmentation.class);
  public static final ComponentKind<Metric> METRIC = new ComponentKind<>("metric", Metric.class);
  public static final ComponentKind<Callback> CALLBACK = new ComponentKind<>("callback", Callback.class);
  public static final ComponentKind<Schedule> SCHEDULE = new ComponentKind<>("schedule", Schedule.class);
  public static final ComponentKind<Explainer> EXPLAINER = new ComponentKind<>("explainer", Explainer.class);

  public static final List<ComponentKind<?>> ALL =
      List.of(LAYER, LOSS, OPTIMIZER, SCHEDULE, REGULARIZER, INITIALIZER, DATA_SOURCE, TRANSFORM, AUGMENTATION, METRIC, CALLBACK,
          EXPLAINER);

  private final String name;
  private final Class<T> type;

  private ComponentKind(String name, Class<T> type) {
    this.name = name;
    this.type = type;
  }

  /** The kind whose interface is {@code type}, if any. */
  public static Optional<ComponentKind<?>> forType(Class<?> type) {
    return ALL.stream().filter(k -> k.type == type).findFirst();
  }

  /** Human name: {@code layer}, {@code data source}. */
  public String name() {
    return name;
  }

  /** Human plural: {@code layers}, {@code losses}. */
  public String plural() {
    return name.endsWith("s") ? name + "es" : name + "s";
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public String toString() {
    return name;
  }
}

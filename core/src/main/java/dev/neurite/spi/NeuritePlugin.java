package dev.neurite.spi;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.util.Types;
import java.util.regex.Pattern;

/**
 * The plugin entry point. A plugin jar lists its subclass in
 * {@code META-INF/services/dev.neurite.spi.NeuritePlugin}; Neurite finds it with
 * {@link java.util.ServiceLoader} and installs it as a Guice module. {@link #configure()} registers
 * components, one line each:
 *
 * <pre>{@code
 * protected void configure() {
 *   layer("dense", DenseParams.class, Dense.class);
 *   layer("relu", Relu.class);                 // no parameters
 * }
 * }</pre>
 *
 * Guice builds each component from its implementation class, injecting its parameter record, its
 * own {@link RandomStream} (seeded from the experiment seed and the component's config path), its
 * {@link ComponentPath}, and anything the plugin binds itself. Implementations therefore need an
 * {@code @jakarta.inject.Inject} constructor, or a no-argument one.
 *
 * <p>Names are lower case ({@code leaky_relu}); a plugin may namespace them ({@code acme:lion}).
 */
public abstract class NeuritePlugin extends AbstractModule {
  private static final Pattern NAME = Pattern.compile("([a-z][a-z0-9_]*:)?[a-z][a-z0-9_]*");

  /** A short name for listings; the class's simple name unless overridden. */
  public String name() {
    return getClass().getSimpleName();
  }

  protected final <T> void register(ComponentKind<T> kind, String name,
                                    Class<? extends Record> params, Class<? extends T> implementation) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(getClass().getName() + ": component name '" + name
          + "' must be lower case letters, digits and '_' (optionally 'namespace:name')");
    }
    if (!kind.type().isAssignableFrom(implementation)) {
      throw new IllegalArgumentException(getClass().getName() + ": " + implementation.getName()
          + " does not implement " + kind.type().getSimpleName());
    }
    mapBinder(binder(), kind).addBinding(name)
        .toInstance(new ComponentType<>(kind, name, params, implementation, getClass()));
  }

  protected final void layer(String name, Class<? extends Layer> impl) { register(ComponentKind.LAYER, name, NoParams.class, impl); }
  protected final void layer(String name, Class<? extends Record> params, Class<? extends Layer> impl) { register(ComponentKind.LAYER, name, params, impl); }
  protected final void loss(String name, Class<? extends Loss> impl) { register(ComponentKind.LOSS, name, NoParams.class, impl); }
  protected final void loss(String name, Class<? extends Record> params, Class<? extends Loss> impl) { register(ComponentKind.LOSS, name, params, impl); }
  protected final void optimizer(String name, Class<? extends Record> params, Class<? extends Optimizer> impl) { register(ComponentKind.OPTIMIZER, name, params, impl); }
  protected final void regularizer(String name, Class<? extends Record> params, Class<? extends Regularizer> impl) { register(ComponentKind.REGULARIZER, name, params, impl); }
  protected final void initializer(String name, Class<? extends Initializer> impl) { register(ComponentKind.INITIALIZER, name, NoParams.class, impl); }
  protected final void initializer(String name, Class<? extends Record> params, Class<? extends Initializer> impl) { register(ComponentKind.INITIALIZER, name, params, impl); }
  protected final void dataSource(String name, Class<? extends DataSource> impl) { register(ComponentKind.DATA_SOURCE, name, NoParams.class, impl); }
  protected final void dataSource(String name, Class<? extends Record> params, Class<? extends DataSource> impl) { register(ComponentKind.DATA_SOURCE, name, params, impl); }
  protected final void transform(String name, Class<? extends Transform> impl) { register(ComponentKind.TRANSFORM, name, NoParams.class, impl); }
  protected final void transform(String name, Class<? extends Record> params, Class<? extends Transform> impl) { register(ComponentKind.TRANSFORM, name, params, impl); }
  protected final void augmentation(String name, Class<? extends Record> params, Class<? extends Augmentation> impl) { register(ComponentKind.AUGMENTATION, name, params, impl); }
  protected final void metric(String name, Class<? extends Metric> impl) { register(ComponentKind.METRIC, name, NoParams.class, impl); }
  protected final void metric(String name, Class<? extends Record> params, Class<? extends Metric> impl) { register(ComponentKind.METRIC, name, params, impl); }
  protected final void callback(String name, Class<? extends Record> params, Class<? extends Callback> impl) { register(ComponentKind.CALLBACK, name, params, impl); }
  protected final void schedule(String name, Class<? extends Schedule> impl) { register(ComponentKind.SCHEDULE, name, NoParams.class, impl); }
  protected final void schedule(String name, Class<? extends Record> params, Class<? extends Schedule> impl) { register(ComponentKind.SCHEDULE, name, params, impl); }
  protected final void explainer(String name, Class<? extends Explainer> impl) { register(ComponentKind.EXPLAINER, name, NoParams.class, impl); }
  protected final void explainer(String name, Class<? extends Record> params, Class<? extends Explainer> impl) { register(ComponentKind.EXPLAINER, name, params, impl); }

  /**
   * The registry of one kind: a Guice {@link MapBinder} from YAML name to {@link ComponentType},
   * keyed by {@code ComponentType<Kind>}. Duplicates are permitted here so that the registry can
   * report a name claimed twice with both plugins' jars, instead of Guice's generic error.
   */
  @SuppressWarnings("unchecked")
  public static <T> MapBinder<String, ComponentType<T>> mapBinder(Binder binder, ComponentKind<T> kind) {
    TypeLiteral<ComponentType<T>> value =
        (TypeLiteral<ComponentType<T>>) TypeLiteral.get(Types.newParameterizedType(ComponentType.class, kind.type()));
    return MapBinder.newMapBinder(binder, TypeLiteral.get(String.class), value).permitDuplicates();
  }
}

package dev.neurite.inject;

import com.google.common.collect.Iterables;
import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import com.google.inject.util.Types;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.ComponentPath;
import dev.neurite.spi.ComponentType;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.NeuritePlugin;
import dev.neurite.spi.RandomStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every component the installed plugins registered, by kind and YAML name, and the means to
 * instantiate one through Guice.
 */
public final class ComponentRegistry {
  /** The outcome of looking a name up: the component, or the namespaced candidates a bare name matched. */
  public record Lookup<T>(Optional<ComponentType<T>> found, List<ComponentType<T>> ambiguous) {}

  private final Injector injector;
  private final List<NeuritePlugin> plugins;
  private final List<String> problems;
  private final Map<ComponentKind<?>, Map<String, ComponentType<?>>> byKind = new LinkedHashMap<>();

  private ComponentRegistry(Injector injector, List<NeuritePlugin> plugins, List<String> problems) {
    this.injector = injector;
    this.plugins = List.copyOf(plugins);
    this.problems = List.copyOf(problems);
    List<String> conflicts = new ArrayList<>();
    for (ComponentKind<?> kind : ComponentKind.ALL) {
      Map<String, ComponentType<?>> named = new TreeMap<>();
      for (Map.Entry<String, ? extends Set<? extends ComponentType<?>>> e : registrations(kind).entrySet()) {
        Set<? extends ComponentType<?>> claims = e.getValue();
        if (claims.size() > 1) {
          conflicts.add(kind + " '" + e.getKey() + "' is registered by " + claims.stream()
              .map(t -> t.plugin().getName() + " (" + t.source() + ")")
              .sorted().collect(Collectors.joining(" and ")));
        }
        named.put(e.getKey(), Iterables.getFirst(claims, null));
      }
      byKind.put(kind, named);
    }
    if (!conflicts.isEmpty()) {
      throw new NeuriteException("plugins conflict: " + String.join("; ", conflicts)
          + ". Remove one of the jars, or give one component a namespaced name such as 'acme:name'.");
    }
  }

  /** Discovers the plugins visible to {@code loader} and wires them. */
  public static ComponentRegistry discover(ClassLoader loader) {
    return of(PluginDiscovery.discover(loader));
  }

  /**
   * The built-in plugins visible to {@code loader} plus those in {@code pluginPaths}, each in its
   * own class loader. A plugin that cannot be loaded or fails to register is left out and recorded
   * in {@link #problems()}; the rest still load.
   */
  public static ComponentRegistry discover(ClassLoader loader, List<Path> pluginPaths) {
    PluginDiscovery.Result found = PluginDiscovery.discover(loader, pluginPaths);
    List<NeuritePlugin> healthy = new ArrayList<>();
    List<String> problems = new ArrayList<>(found.problems());
    for (NeuritePlugin plugin : found.plugins()) {
      try {
        Guice.createInjector(new CoreModule(), plugin);
        healthy.add(plugin);
      } catch (RuntimeException | LinkageError e) {
        String why = e instanceof CreationException ce ? describe(ce.getErrorMessages()) : PluginDiscovery.rootMessage(e);
        problems.add("plugin " + plugin.getClass().getName() + " (" + ComponentType.sourceOf(plugin.getClass())
            + ") failed to register its components: " + why);
      }
    }
    return of(healthy, problems);
  }

  /** Wires exactly these plugins (tests, embedding). */
  public static ComponentRegistry of(List<? extends NeuritePlugin> plugins) {
    return of(plugins, List.of());
  }

  private static ComponentRegistry of(List<? extends NeuritePlugin> plugins, List<String> problems) {
    List<Module> modules = new ArrayList<>();
    modules.add(new CoreModule());
    modules.addAll(plugins);
    Injector injector;
    try {
      injector = Guice.createInjector(modules);
    } catch (CreationException e) {
      throw new NeuriteException("a plugin failed to register its components: " + describe(e.getErrorMessages()), e);
    }
    return new ComponentRegistry(injector, new ArrayList<>(plugins), problems);
  }

  @SuppressWarnings("unchecked")
  private <T> Map<String, Set<ComponentType<T>>> registrations(ComponentKind<T> kind) {
    var type = Types.newParameterizedType(ComponentType.class, kind.type());
    var key = Key.get(Types.mapOf(String.class, Types.setOf(type)));
    return (Map<String, Set<ComponentType<T>>>) injector.getInstance(key);
  }

  public List<NeuritePlugin> plugins() {
    return plugins;
  }

  /** Plugins that were found but could not be loaded or registered, each naming its jar. */
  public List<String> problems() {
    return problems;
  }

  /** The component registered under exactly {@code name}. */
  @SuppressWarnings("unchecked")
  public <T> Optional<ComponentType<T>> find(ComponentKind<T> kind, String name) {
    return Optional.ofNullable((ComponentType<T>) byKind.get(kind).get(name));
  }

  /**
   * Looks {@code name} up: an exact match, else the one namespaced component {@code ns:name}. When
   * several namespaces register {@code name}, nothing is chosen: the candidates are returned.
   */
  @SuppressWarnings("unchecked")
  public <T> Lookup<T> lookup(ComponentKind<T> kind, String name) {
    Optional<ComponentType<T>> exact = find(kind, name);
    if (exact.isPresent() || name.contains(":")) return new Lookup<>(exact, List.of());
    List<ComponentType<T>> namespaced = byKind.get(kind).entrySet().stream()
        .filter(e -> e.getKey().endsWith(":" + name)).map(e -> (ComponentType<T>) e.getValue()).toList();
    return namespaced.size() == 1 ? new Lookup<>(Optional.of(namespaced.get(0)), List.of()) : new Lookup<>(Optional.empty(), namespaced);
  }

  /** The registered names of one kind, sorted. */
  public List<String> names(ComponentKind<?> kind) {
    return List.copyOf(byKind.get(kind).keySet());
  }

  /** Every registered component, by kind, then name. */
  public List<ComponentType<?>> all() {
    List<ComponentType<?>> all = new ArrayList<>();
    byKind.values().forEach(m -> all.addAll(m.values()));
    return all;
  }

  /**
   * Builds one component through Guice: a child injector binds its parameter record, its own random
   * stream (derived from {@code seed} and {@code path}) and its path, then creates the implementation.
   * An {@link IllegalArgumentException} from the constructor (parameters it rejects) is rethrown as
   * it is; any other failure becomes a {@link NeuriteException} naming the plugin and its jar.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <T> T create(ComponentType<T> type, Record params, String path, long seed) {
    return create(type, params, path, RandomStream.derive(seed, path));
  }

  /** As {@link #create(ComponentType, Record, String, long)}, with the component's random stream given. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <T> T create(ComponentType<T> type, Record params, String path, RandomStream random) {
    Injector child;
    try {
      child = injector.createChildInjector(binder -> {
        binder.bind((Class) params.getClass()).toInstance(params);
        binder.bind(RandomStream.class).toInstance(random);
        binder.bind(ComponentPath.class).toInstance(new ComponentPath(path));
      });
      return child.getInstance(type.implementation());
    } catch (ProvisionException e) {
      Throwable cause = e.getCause();
      // a constructor rejecting its parameters is a config problem; anything else is the plugin's
      if (cause instanceof IllegalArgumentException || cause instanceof NeuriteException) throw (RuntimeException) cause;
      if (cause != null) {
        throw new NeuriteException("plugin " + type.plugin().getName() + " (" + type.source() + ") failed to create "
            + type.kind() + " '" + type.name() + "': " + cause, cause);
      }
      throw wiringError(type, e.getErrorMessages(), e);
    } catch (ConfigurationException e) {
      throw wiringError(type, e.getErrorMessages(), e);
    } catch (CreationException e) {
      throw wiringError(type, e.getErrorMessages(), e);
    }
  }

  private static NeuriteException wiringError(ComponentType<?> type, Collection<Message> messages, Exception e) {
    return new NeuriteException("plugin " + type.plugin().getName() + " (" + type.source() + ") cannot create "
        + type.kind() + " '" + type.name() + "': " + describe(messages), e);
  }

  private static String describe(Collection<Message> messages) {
    return messages.stream().map(Message::getMessage).collect(Collectors.joining("; "));
  }
}

package dev.neurite.inject;

import com.google.common.collect.Iterables;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.ConfigurationException;
import com.google.inject.spi.Message;
import com.google.inject.util.Types;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.ComponentPath;
import dev.neurite.spi.ComponentType;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.NeuritePlugin;
import dev.neurite.spi.RandomStream;
import java.util.ArrayList;
import java.util.Collection;
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
  private final Injector injector;
  private final List<NeuritePlugin> plugins;
  private final Map<ComponentKind<?>, Map<String, ComponentType<?>>> byKind = new java.util.LinkedHashMap<>();

  private ComponentRegistry(Injector injector, List<NeuritePlugin> plugins) {
    this.injector = injector;
    this.plugins = List.copyOf(plugins);
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

  /** Wires exactly these plugins (tests, embedding). */
  public static ComponentRegistry of(List<? extends NeuritePlugin> plugins) {
    List<Module> modules = new ArrayList<>();
    modules.add(new CoreModule());
    modules.addAll(plugins);
    Injector injector;
    try {
      injector = Guice.createInjector(modules);
    } catch (CreationException e) {
      throw new NeuriteException("a plugin failed to register its components: " + describe(e.getErrorMessages()), e);
    }
    return new ComponentRegistry(injector, new ArrayList<>(plugins));
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

  @SuppressWarnings("unchecked")
  public <T> Optional<ComponentType<T>> find(ComponentKind<T> kind, String name) {
    return Optional.ofNullable((ComponentType<T>) byKind.get(kind).get(name));
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
   * An exception thrown by the component's constructor is rethrown as it is; a wiring problem
   * becomes a {@link NeuriteException} naming the plugin and its jar.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <T> T create(ComponentType<T> type, Record params, String path, long seed) {
    Injector child;
    try {
      child = injector.createChildInjector(binder -> {
        binder.bind((Class) params.getClass()).toInstance(params);
        binder.bind(RandomStream.class).toProvider(() -> RandomStream.derive(seed, path));
        binder.bind(ComponentPath.class).toInstance(new ComponentPath(path));
      });
      return child.getInstance(type.implementation());
    } catch (ProvisionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re && e.getErrorMessages().size() == 1) throw re;
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

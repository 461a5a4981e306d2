package dev.neurite.cli;

import dev.neurite.config.Bounds;
import dev.neurite.config.Names;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.ComponentType;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.NeuritePlugin;
import java.io.PrintWriter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "plugins", description = "List every component the installed plugins provide, with its parameters and jar.")
final class PluginsCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ComponentRegistry registry = ComponentRegistry.discover(PluginsCommand.class.getClassLoader());
    out.println("plugins:");
    for (NeuritePlugin p : registry.plugins()) {
      out.println("  " + p.name() + "  (" + p.getClass().getName() + ", " + ComponentType.sourceOf(p.getClass()) + ")");
    }
    for (ComponentKind<?> kind : ComponentKind.ALL) {
      var names = registry.names(kind);
      if (names.isEmpty()) continue;
      out.println();
      out.println(kind.plural() + ":");
      for (String name : names) describe(out, registry.find(kind, name).orElseThrow());
    }
    out.flush();
    return 0;
  }

  private static void describe(PrintWriter out, ComponentType<?> type) {
    out.printf("  %-24s %s  [%s]%n", type.name(), type.doc(), type.source());
    for (RecordComponent c : type.params().getRecordComponents()) {
      StringBuilder line = new StringBuilder("      ").append(Names.yamlKey(c.getName())).append(": ")
          .append(typeName(c.getGenericType()));
      Default d = c.getAnnotation(Default.class);
      line.append(d == null ? " (required)" : " = " + d.value());
      String bounds = Bounds.describe(c.getAnnotation(Min.class), c.getAnnotation(Max.class));
      if (!bounds.isEmpty()) line.append(", ").append(bounds);
      Doc doc = c.getAnnotation(Doc.class);
      if (doc != null) line.append("  -- ").append(doc.value());
      out.println(line);
    }
  }

  private static String typeName(Type t) {
    if (t instanceof ParameterizedType pt) return "list of " + typeName(pt.getActualTypeArguments()[0]);
    if (t instanceof Class<?> c) {
      var kind = ComponentKind.forType(c);
      if (kind.isPresent()) return kind.get().name();
      if (c.isEnum()) {
        return String.join("|", java.util.Arrays.stream(c.getEnumConstants())
            .map(e -> ((Enum<?>) e).name().toLowerCase(java.util.Locale.ROOT)).toList());
      }
      if (c == java.nio.file.Path.class) return "path";
      return c.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
    return t.getTypeName();
  }
}

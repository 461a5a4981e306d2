package dev.neurite.cli;

import dev.neurite.check.Check;
import dev.neurite.check.ComponentVerifier;
import dev.neurite.config.Bounds;
import dev.neurite.config.ComponentSpecs;
import dev.neurite.config.Names;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.inject.PluginDiscovery;
import dev.neurite.spi.ComponentKind;
import dev.neurite.spi.ComponentType;
import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Example;
import dev.neurite.spi.Max;
import dev.neurite.spi.Min;
import dev.neurite.spi.NeuriteException;
import dev.neurite.spi.NeuritePlugin;
import dev.neurite.spi.Suggestions;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "plugins", description = "List every component the installed plugins provide, with its parameters and jar.",
    subcommands = {PluginsCommand.Verify.class, PluginsCommand.Describe.class})
final class PluginsCommand extends PluginCommand {
  @Override
  public Integer call() {
    PrintWriter out = out();
    ComponentRegistry registry = registry();
    out.println("plugins:");
    for (NeuritePlugin p : registry.plugins()) {
      out.println("  " + p.name() + "  (" + p.getClass().getName() + ", " + ComponentType.sourceOf(p.getClass()) + ")");
    }
    for (ComponentKind<?> kind : ComponentKind.ALL) {
      var names = registry.names(kind);
      if (names.isEmpty()) continue;
      out.println();
      out.println(kind.plural() + ":");
      for (String name : names) {
        ComponentType<?> type = registry.find(kind, name).orElseThrow();
        out.printf("  %-24s %s  [%s]%n", type.name(), type.doc(), type.source());
        for (RecordComponent c : type.params().getRecordComponents()) out.println("      " + parameter(c));
      }
    }
    out.flush();
    return 0;
  }

  /** {@code units: int (required), >= 1  -- output features} */
  static String parameter(RecordComponent c) {
    StringBuilder line = new StringBuilder(Names.yamlKey(c.getName())).append(": ").append(typeName(c.getGenericType()));
    Default d = c.getAnnotation(Default.class);
    boolean optional = c.getType() == Optional.class;
    if (d != null) line.append(" = ").append(d.value());
    else if (!optional) line.append(" (required)");
    String bounds = Bounds.describe(c.getAnnotation(Min.class), c.getAnnotation(Max.class));
    if (!bounds.isEmpty()) line.append(", ").append(bounds);
    Doc doc = c.getAnnotation(Doc.class);
    if (doc != null) line.append("  -- ").append(doc.value());
    return line.toString();
  }

  private static String typeName(Type t) {
    if (t instanceof ParameterizedType pt && pt.getRawType() == Optional.class) {
      return typeName(pt.getActualTypeArguments()[0]) + " (optional)";
    }
    if (t instanceof ParameterizedType pt) return "list of " + typeName(pt.getActualTypeArguments()[0]);
    if (t instanceof Class<?> c) {
      var kind = ComponentKind.forType(c);
      if (kind.isPresent()) return kind.get().name();
      if (c.isEnum()) {
        return String.join("|", Arrays.stream(c.getEnumConstants()).map(e -> ((Enum<?>) e).name().toLowerCase(Locale.ROOT)).toList());
      }
      if (c == Path.class) return "path";
      return c.getSimpleName().toLowerCase(Locale.ROOT);
    }
    return t.getTypeName();
  }

  @Command(name = "verify", description = "Run the plugin contract (gradients, shapes, determinism, state, ...) on the "
      + "components of the given plugin jars, or of every installed plugin; exit 1 if any fails.")
  static final class Verify extends PluginCommand {
    @Parameters(paramLabel = "JAR", arity = "0..*", description = "plugin jars (or directories) to verify")
    List<Path> jars = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = out();
      plugins.dirs.addAll(jars);
      ComponentRegistry registry = ComponentRegistry.discover(Verify.class.getClassLoader(), plugins.paths());
      List<String> sources = new ArrayList<>();
      for (Path jar : jars) {
        try {
          sources.addAll(PluginDiscovery.jarNames(jar));
        } catch (IOException e) {
          throw new NeuriteException("cannot read plugin path " + jar + ": " + e.getMessage());
        }
      }
      int failed = 0;
      int verified = 0;
      int skipped = 0;
      out.printf("%-26s %-12s %-26s %s%n", "component", "kind", "from", "result");
      for (String problem : registry.problems()) {
        out.printf("%-26s %-12s %-26s FAIL  %s%n", "(plugin)", "-", "-", problem);
        failed++;
      }
      for (ComponentType<?> type : registry.all()) {
        if (!jars.isEmpty() && !sources.contains(type.source())) continue;
        ComponentVerifier.Verdict v = ComponentVerifier.verify(registry, type);
        String result;
        if (!v.note().isEmpty()) {
          skipped++;
          result = "skipped (" + v.note() + ")";
        } else if (v.passed()) {
          verified++;
          result = "pass (" + v.outcomes().size() + " checks)";
        } else {
          verified++;
          failed++;
          StringBuilder sb = new StringBuilder("FAIL");
          for (Check.Outcome o : v.outcomes()) {
            o.failure().ifPresent(f -> sb.append("\n").append(" ".repeat(68)).append(o.name()).append(": ")
                .append(f.replaceAll("\\s*\\n\\s*", " ")));
          }
          result = sb.toString();
        }
        out.printf("%-26s %-12s %-26s %s%n", type.name(), type.kind().name(), type.source(), result);
      }
      out.printf("%n%d components verified, %d failed, %d skipped (no contract for their kind yet)%n", verified, failed, skipped);
      out.flush();
      if (verified + skipped == 0 && registry.problems().isEmpty()) {
        throw new NeuriteException("no components found to verify in " + jars);
      }
      return failed == 0 ? 0 : Main.FAILED;
    }
  }

  @Command(name = "describe", description = "Show one component: its parameters, types, defaults, documentation and an example.")
  static final class Describe extends PluginCommand {
    @Parameters(paramLabel = "NAME", description = "component name, e.g. dense or acme:lion")
    String name;

    @Override
    public Integer call() {
      PrintWriter out = out();
      ComponentRegistry registry = registry();
      List<ComponentType<?>> matches = new ArrayList<>();
      List<String> ambiguous = new ArrayList<>();
      for (ComponentKind<?> kind : ComponentKind.ALL) {
        var lookup = registry.lookup(kind, name);
        lookup.found().ifPresent(matches::add);
        lookup.ambiguous().forEach(t -> ambiguous.add(t.name()));
      }
      if (matches.isEmpty()) {
        List<String> all = registry.all().stream().map(ComponentType::name).distinct().toList();
        throw new NeuriteException(ambiguous.isEmpty()
            ? "no component named '" + name + "'" + Suggestions.didYouMean(name, all) + " (./neurite plugins lists them all)"
            : "'" + name + "' is ambiguous: " + String.join(", ", ambiguous) + "; give the full name");
      }
      for (ComponentType<?> type : matches) {
        out.println(type.name() + " (" + type.kind() + ")");
        if (!type.doc().isEmpty()) out.println("  " + type.doc());
        out.println("  from " + type.plugin().getName() + " (" + type.source() + ")");
        RecordComponent[] params = type.params().getRecordComponents();
        out.println(params.length == 0 ? "  parameters: none" : "  parameters:");
        for (RecordComponent c : params) out.println("    " + parameter(c));
        Example example = type.implementation().getAnnotation(Example.class);
        out.println("  example: " + ComponentSpecs.yaml(type, example == null ? "" : example.value()));
        out.println();
      }
      out.flush();
      return 0;
    }
  }
}

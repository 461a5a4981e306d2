package dev.neurite.cli;

import com.google.gson.GsonBuilder;
import dev.neurite.config.ConfigSchema;
import picocli.CommandLine.Command;

@Command(name = "schema", description = "Print a JSON Schema (draft 2020-12) of the config, for editors: every component type of the "
    + "installed plugins (with --plugins, theirs too) with its parameters, types, defaults, bounds and docs. "
    + "./neurite schema > neurite.schema.json")
final class SchemaCommand extends PluginCommand {
  @Override
  public Integer call() {
    var out = out();
    out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(ConfigSchema.generate(registry())));
    out.flush();
    return 0;
  }
}

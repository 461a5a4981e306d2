package dev.neurite.cli;

import dev.neurite.inference.Generator;
import dev.neurite.inference.Predictor;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "generate", description = "Continue a prompt with a trained language model (a run of the text source): "
    + "one token at a time, sampled from softmax(scores / temperature); the same seed gives the same text.")
final class GenerateCommand extends PluginCommand {
  @Parameters(paramLabel = "RUN_DIR", description = "a completed run of a next-token model")
  Path run;

  @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the text to continue")
  String prompt;

  @Option(names = "--length", defaultValue = "200", paramLabel = "N", description = "tokens to generate (default: ${DEFAULT-VALUE})")
  int length;

  @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
      description = "below 1 sharper, above 1 more varied, 0 the most likely token each time (default: ${DEFAULT-VALUE})")
  double temperature;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "the sampling seed (default: ${DEFAULT-VALUE})")
  long seed;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (length < 0) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--length must be 0 or more, got " + length);
    if (!(temperature >= 0)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--temperature must be 0 or more, got " + temperature);
    }
    Generator generator = new Generator(Predictor.load(run, registry()));
    out().println(generator.generate(prompt, length, temperature, seed));
    out().flush();
    return 0;
  }
}

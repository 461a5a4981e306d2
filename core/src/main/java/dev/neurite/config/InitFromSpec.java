package dev.neurite.config;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code model.init_from:} weights loaded by name (and checked by shape) over the initializers'
 * values before the first step: a run directory's {@code weights.safetensors} or any safetensors file
 * of float32 tensors, e.g. a PyTorch {@code state_dict} saved with safetensors under Neurite's names.
 */
public record InitFromSpec(
    @Doc("a run directory (its weights.safetensors) or a .safetensors file") Path path,
    @Doc("true: every param and buffer of the model must be in the file, and every tensor of the file must be used; "
        + "false: load what matches, leave the rest at its initializer, and report both") @Default("true") boolean strict,
    @Doc("tensor names of the file to rename before matching, {their_name: our_name}, e.g. {fc1.weight: layers.0.weight}")
    @Default("{}") Map<String, String> map) {}

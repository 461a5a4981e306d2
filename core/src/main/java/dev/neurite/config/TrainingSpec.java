package dev.neurite.config;

import dev.neurite.spi.Default;
import dev.neurite.spi.Doc;
import dev.neurite.spi.Min;

/** {@code training:} the loop's settings. */
public record TrainingSpec(
    @Doc("passes over the training split") @Min(1) int epochs,
    @Doc("samples per optimizer step") @Default("32") @Min(1) int batchSize,
    @Doc("reshuffle the training split every epoch (from the seed)") @Default("true") boolean shuffle,
    @Doc("clip every gradient value to [-clip_value, clip_value] before the step; 0 turns it off") @Default("0") @Min(0) double clipValue,
    @Doc("scale the gradients so their global L2 norm is at most clip_norm (as torch.nn.utils.clip_grad_norm_); 0 turns it off")
    @Default("0") @Min(0) double clipNorm,
    @Doc("prepare the next batch on a second thread while this one trains; results are identical either way")
    @Default("true") boolean prefetch,
    @Doc("write a checkpoint every this many epochs (0: never), from which ./neurite resume continues") @Default("1") @Min(0) int checkpointEvery,
    @Doc("also write a checkpoint every this many optimizer steps, in the middle of an epoch if need be, with the data "
        + "cursor (0: only at epoch ends)") @Default("0") @Min(0) int checkpointEverySteps,
    @Doc("checkpoints kept; older ones are deleted") @Default("2") @Min(1) int keepCheckpoints,
    @Doc("stop the run as diverged when a batch's loss exceeds this many times the run's first batch loss, before it "
        + "overflows to NaN (0 turns it off)") @Default("10000") @Min(0) double divergenceFactor,
    @Doc("stop the run as diverged when a batch's loss exceeds this value (0: no ceiling)") @Default("0") @Min(0) double maxLoss,
    @Doc("record per-epoch training diagnostics in diagnostics.csv (learning rate, weight and gradient norms, update ratios, "
        + "dead ReLU units, activation statistics); results are identical either way") @Default("true") boolean diagnostics,
    @Doc("truncated backpropagation through time: recurrent layers carry the gradient back through their state in blocks of "
        + "this many steps, as if the state were detached every bptt steps (0: through the whole sequence)") @Default("0") @Min(0) int bptt,
    @Doc("split every batch into this many groups of rows, each with its own forward and backward pass, and add the groups' "
        + "gradients in a fixed tree: the same bytes on one machine and on any number of data-parallel workers that divides "
        + "it (./neurite train --engine spark --workers W); 1: the whole batch at once") @Default("1") @Min(1) int gradientGroups) {
  public TrainingSpec {
    if (gradientGroups > batchSize) {
      throw new IllegalArgumentException("gradient_groups is " + gradientGroups + " but batch_size is " + batchSize
          + ": each group needs at least one row of a full batch; use at most " + batchSize + " groups");
    }
  }
}

package dev.neurite.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dev.neurite.config.ExperimentLoader;
import dev.neurite.inject.ComponentRegistry;
import dev.neurite.spi.Callback;
import dev.neurite.spi.Default;
import dev.neurite.spi.NeuritePlugin;
import dev.neurite.spi.Optimizer;
import dev.neurite.spi.Param;
import dev.neurite.spi.StepInfo;
import dev.neurite.train.Experiment;
import dev.neurite.train.Trainer;
import dev.neurite.train.TrainingResult;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin boundary in isolation: a third-party plugin whose optimizer and callback delegate to
 * Mockito mocks that the plugin binds through Guice. The mocks show what the trainer calls, in
 * which order and with which params, without faking any of the math.
 */
class WiringTest {
  static final Optimizer OPTIMIZER = mock(Optimizer.class);
  static final Callback CALLBACK = mock(Callback.class);

  @org.junit.jupiter.api.BeforeEach
  void freshMocks() {
    org.mockito.Mockito.reset(OPTIMIZER, CALLBACK);
  }

  public static final class ProbeOptimizer implements Optimizer {
    public record Params(@Default("0.1") double lr) {}
    private final Optimizer delegate;

    @Inject
    public ProbeOptimizer(Params params, @Named("probe") Optimizer delegate) {
      this.delegate = delegate;
    }

    @Override
    public void step(List<Param> params, StepInfo step) {
      delegate.step(params, step);
    }
  }

  public static final class ProbeCallback implements Callback {
    public record Params(@Default("0") int unused) {}
    private final Callback delegate;

    @Inject
    public ProbeCallback(Params params, @Named("probe") Callback delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onTrainStart(Control control) {
      delegate.onTrainStart(control);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics, Control control) {
      delegate.onEpochEnd(epoch, metrics, control);
    }

    @Override
    public void onTrainEnd(Control control) {
      delegate.onTrainEnd(control);
    }
  }

  public static final class ProbePlugin extends NeuritePlugin {
    @Override
    protected void configure() {
      bind(Optimizer.class).annotatedWith(Names.named("probe")).toInstance(OPTIMIZER);
      bind(Callback.class).annotatedWith(Names.named("probe")).toInstance(CALLBACK);
      optimizer("acme:probe", ProbeOptimizer.Params.class, ProbeOptimizer.class);
      callback("acme:probe_callback", ProbeCallback.Params.class, ProbeCallback.class);
    }
  }

  @Test
  void theTrainerDrivesPluginComponentsThroughTheSpi(@TempDir Path dir) throws IOException {
    // stop after epoch 2 of 5, as an early-stopping callback would
    doAnswer(inv -> {
      if ((int) inv.getArgument(0) == 2) ((Callback.Control) inv.getArgument(2)).requestStop("probe says stop");
      return null;
    }).when(CALLBACK).onEpochEnd(anyInt(), anyMap(), any());
    // the trainer hands one StepInfo, set anew before each step: read it during the call
    List<String> seen = new java.util.ArrayList<>();
    java.util.Set<StepInfo> instances = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    doAnswer(inv -> {
      StepInfo info = inv.getArgument(1);
      seen.add(info.step() + "/" + info.epoch() + "/" + info.lrFactor());
      instances.add(info);
      return null;
    }).when(OPTIMIZER).step(any(), any());

    Path config = dir.resolve("probe.yaml");
    Files.writeString(config, """
        name: probe
        data: {source: xor}
        model:
          layers: [{type: dense, units: 3}, tanh, {type: dense, units: 1}]
        loss: mse
        optimizer: acme:probe
        callbacks: [acme:probe_callback]
        training: {epochs: 5, batch_size: 2, shuffle: false}
        metrics: [loss]
        """);
    ComponentRegistry registry = ComponentRegistry.of(List.of(new StandardPlugin(), new ProbePlugin()));
    Experiment experiment = Experiment.prepare(new ExperimentLoader(registry).load(config));
    TrainingResult result = new Trainer(experiment).fit(List.of());

    assertThat(result.epochs()).isEqualTo(2);
    assertThat(result.stopReason()).isEqualTo("probe says stop");
    // 4 XOR rows in batches of 2 = 2 steps per epoch, for 2 epochs
    verify(OPTIMIZER, times(4)).step(argThat(params -> params.stream().map(Param::name).toList()
        .equals(List.of("layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"))), any());
    assertThat(seen).containsExactly("1/1/1.0", "2/1/1.0", "3/2/1.0", "4/2/1.0");
    assertThat(instances).as("one StepInfo for all steps (no object per step)").hasSize(1);
    verify(CALLBACK).onTrainStart(any());
    verify(CALLBACK).onEpochEnd(org.mockito.ArgumentMatchers.eq(1), argThat(m -> m.containsKey("train_loss")), any());
    verify(CALLBACK).onTrainEnd(any());
  }

  @Test
  void theOptimizerSeesClippedGradientsAndTheScheduledFactor(@TempDir Path dir) throws IOException {
    List<Double> norms = new java.util.ArrayList<>();
    List<Double> factors = new java.util.ArrayList<>();
    doAnswer(inv -> {
      List<Param> params = inv.getArgument(0);
      double sum = 0;
      for (Param p : params) sum += dev.neurite.tensor.Kernels.sumOfSquares(p.grad().data());
      norms.add(Math.sqrt(sum));
      factors.add(((StepInfo) inv.getArgument(1)).lrFactor());
      return null;
    }).when(OPTIMIZER).step(any(), any());
    Path config = dir.resolve("clip.yaml");
    Files.writeString(config, """
        name: clip
        data: {source: xor}
        model:
          layers: [{type: dense, units: 3}, tanh, {type: dense, units: 1}]
        loss: mse
        optimizer: acme:probe
        schedule: {type: step, step_size: 1, gamma: 0.5}
        training: {epochs: 3, batch_size: 4, shuffle: false, clip_norm: 0.001}
        """);
    ComponentRegistry registry = ComponentRegistry.of(List.of(new StandardPlugin(), new ProbePlugin()));
    new Trainer(Experiment.prepare(new ExperimentLoader(registry).load(config))).fit(List.of());
    assertThat(norms).hasSize(3).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(0.001).isGreaterThan(0.0009));
    assertThat(factors).containsExactly(1.0, 0.5, 0.25);
  }
}

package dev.neurite.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurite.spi.Metric;
import dev.neurite.standard.metrics.Accuracy;
import dev.neurite.standard.metrics.Auc;
import dev.neurite.standard.metrics.ClassificationScore;
import dev.neurite.standard.metrics.ConfusionMatrix;
import dev.neurite.standard.metrics.F1;
import dev.neurite.standard.metrics.MaeMetric;
import dev.neurite.standard.metrics.MseMetric;
import dev.neurite.standard.metrics.Precision;
import dev.neurite.standard.metrics.R2Metric;
import dev.neurite.standard.metrics.Recall;
import dev.neurite.standard.metrics.RmseMetric;
import dev.neurite.standard.metrics.TopKAccuracy;
import dev.neurite.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values from scikit-learn's documented examples (precision_score, recall_score, f1_score, roc_auc_score, r2_score). */
class MetricsTest {
  /** One-hot scores for predicted classes, in two batches so accumulation across batches is exercised. */
  private static double run(Metric m, int[] actual, int[] predicted, int classes) {
    m.reset();
    for (int start = 0; start < actual.length; start += 4) {
      int n = Math.min(4, actual.length - start);
      Tensor out = Tensor.zeros(n, classes);
      Tensor target = Tensor.zeros(n, 1);
      for (int r = 0; r < n; r++) {
        out.set(r * classes + predicted[start + r], 1f);
        target.set(r, actual[start + r]);
      }
      m.update(out, target, 0);
    }
    return m.value();
  }

  private static ClassificationScore.Params avg(ClassificationScore.Average a) {
    return new ClassificationScore.Params(a, 0.5);
  }

  @Test
  void precisionRecallAndF1AsScikitLearn() {
    int[] yTrue = {0, 1, 2, 0, 1, 2};
    int[] yPred = {0, 2, 1, 0, 0, 1};
    assertThat(run(new Precision(avg(ClassificationScore.Average.MACRO)), yTrue, yPred, 3)).isCloseTo(0.2222222, within(1e-6));
    assertThat(run(new Precision(avg(ClassificationScore.Average.MICRO)), yTrue, yPred, 3)).isCloseTo(0.3333333, within(1e-6));
    assertThat(run(new Precision(avg(ClassificationScore.Average.WEIGHTED)), yTrue, yPred, 3)).isCloseTo(0.2222222, within(1e-6));
    assertThat(run(new Recall(avg(ClassificationScore.Average.MACRO)), yTrue, yPred, 3)).isCloseTo(0.3333333, within(1e-6));
    assertThat(run(new F1(avg(ClassificationScore.Average.MACRO)), yTrue, yPred, 3)).isCloseTo(0.2666667, within(1e-6));
    assertThat(run(new F1(avg(ClassificationScore.Average.MICRO)), yTrue, yPred, 3)).isCloseTo(0.3333333, within(1e-6));
    assertThat(run(new F1(avg(ClassificationScore.Average.WEIGHTED)), yTrue, yPred, 3)).isCloseTo(0.2666667, within(1e-6));
    // binary: class 1 only; y_true [0,1,1,0], y_pred [0,1,0,1] -> precision 0.5, recall 0.5
    assertThat(run(new Precision(avg(ClassificationScore.Average.BINARY)), new int[] {0, 1, 1, 0}, new int[] {0, 1, 0, 1}, 2)).isEqualTo(0.5);
  }

  @Test
  void confusionMatrixRowsAreActualClasses() {
    ConfusionMatrix m = new ConfusionMatrix(new ConfusionMatrix.Params(0.5));
    double diagonal = run(m, new int[] {2, 0, 2, 2, 0, 1}, new int[] {0, 0, 2, 2, 0, 2}, 3);
    assertThat(m.details()).isEqualTo(List.of(List.of(2L, 0L, 0L), List.of(0L, 0L, 1L), List.of(1L, 0L, 2L)));
    assertThat(diagonal).isCloseTo(4 / 6.0, within(1e-12));
  }

  @Test
  void topKCountsTheTrueClassAmongTheHighestScores() {
    TopKAccuracy top2 = new TopKAccuracy(new TopKAccuracy.Params(2));
    top2.reset();
    // scikit-learn's top_k_accuracy_score example: 0.75
    top2.update(Tensor.wrap(new float[] {0.5f, 0.2f, 0.2f, 0.3f, 0.4f, 0.2f, 0.2f, 0.4f, 0.3f, 0.7f, 0.2f, 0.1f}, 4, 3),
        Tensor.wrap(new float[] {0, 1, 2, 2}, 4, 1), 0);
    assertThat(top2.value()).isEqualTo(0.75);
  }

  @Test
  void aucAsRocAucScore() {
    Auc auc = new Auc();
    auc.reset();
    auc.update(Tensor.wrap(new float[] {0.1f, 0.4f}, 2, 1), Tensor.wrap(new float[] {0, 0}, 2, 1), 0);
    auc.update(Tensor.wrap(new float[] {0.35f, 0.8f}, 2, 1), Tensor.wrap(new float[] {1, 1}, 2, 1), 0);
    assertThat(auc.value()).isEqualTo(0.75);
    auc.reset();
    auc.update(Tensor.wrap(new float[] {0.5f, 0.5f, 0.5f, 0.9f}, 4, 1), Tensor.wrap(new float[] {0, 1, 0, 1}, 4, 1), 0);
    assertThat(auc.value()).isEqualTo(0.75); // ties count one half
  }

  @Test
  void regressionMetricsAsScikitLearn() {
    Tensor pred = Tensor.wrap(new float[] {2.5f, 0.0f, 2f, 8f}, 4, 1);
    Tensor truth = Tensor.wrap(new float[] {3f, -0.5f, 2f, 7f}, 4, 1);
    Metric[] ms = {new MaeMetric(), new MseMetric(), new RmseMetric(), new R2Metric()};
    double[] expected = {0.5, 0.375, Math.sqrt(0.375), 0.9486081370449679};
    for (int i = 0; i < ms.length; i++) {
      ms[i].reset();
      ms[i].update(pred, truth, 0);
      assertThat(ms[i].value()).as(ms[i].getClass().getSimpleName()).isCloseTo(expected[i], within(1e-7));
    }
  }
  /** Batches of random outputs and targets of the kind {@code metric} reads: [n, width] outputs, class indices or values. */
  private static void feed(Metric metric, dev.neurite.spi.RandomStream r, int batches, int width, boolean regression) {
    for (int b = 0; b < batches; b++) {
      int n = 5 + r.nextInt(4);
      Tensor out = Tensor.zeros(n, width);
      Tensor target = Tensor.zeros(n, regression ? width : 1);
      for (int i = 0; i < out.size(); i++) out.set(i, (float) r.nextGaussian());
      for (int i = 0; i < target.size(); i++) target.set(i, regression ? (float) r.nextGaussian() : r.nextInt(width));
      metric.update(out, target, r.nextDouble());
    }
  }

  /**
   * A metric restored from its state in the middle of an epoch (a mid-epoch checkpoint) ends with
   * exactly the value and details of one that never stopped.
   */
  @Test
  void everyStandardMetricContinuesExactlyFromItsState() {
    List<java.util.function.Supplier<Metric>> metrics = List.of(
        () -> new dev.neurite.standard.metrics.Accuracy(new dev.neurite.standard.metrics.Accuracy.Params(0.5)),
        () -> new TopKAccuracy(new TopKAccuracy.Params(2)), dev.neurite.standard.metrics.MeanLoss::new,
        () -> new ConfusionMatrix(new ConfusionMatrix.Params(0.5)), () -> new F1(avg(ClassificationScore.Average.WEIGHTED)),
        Auc::new, R2Metric::new, MaeMetric::new, RmseMetric::new, MseMetric::new);
    for (var make : metrics) {
      Metric probe = make.get();
      boolean regression = probe instanceof R2Metric || probe instanceof MaeMetric || probe instanceof RmseMetric || probe instanceof MseMetric;
      int width = probe instanceof Auc ? 2 : 3;
      Metric whole = make.get();
      whole.reset();
      feed(whole, new dev.neurite.spi.RandomStream(7), 3, width, regression);
      feed(whole, new dev.neurite.spi.RandomStream(8), 4, width, regression);

      Metric before = make.get();
      before.reset();
      feed(before, new dev.neurite.spi.RandomStream(7), 3, width, regression);
      Metric after = make.get();
      after.reset();
      feed(after, new dev.neurite.spi.RandomStream(99), 1, width, regression); // state that load must replace
      assertThat(before).as(probe.getClass().getSimpleName()).isInstanceOf(dev.neurite.spi.Stateful.class);
      ((dev.neurite.spi.Stateful) after).load(((dev.neurite.spi.Stateful) before).state());
      feed(after, new dev.neurite.spi.RandomStream(8), 4, width, regression);
      assertThat(after.value()).as(probe.getClass().getSimpleName()).isEqualTo(whole.value()).isNotNaN();
      assertThat(after.details()).as(probe.getClass().getSimpleName()).isEqualTo(whole.details());
    }
  }

  /** Scores [time, classes] against a class per step: cross-entropy per token in nats, as perplexity and in bits; accuracy per step. */
  @Test
  void tokenMetricsAverageTheCrossEntropyOverEveryStep() {
    // two samples of two steps over three classes, in two batches
    float[][] scores = {{2f, 0f, -1f, 0.5f, 0.5f, 0.5f}, {-3f, 1f, 4f, 0f, 2f, 1f}};
    int[][] targets = {{0, 2}, {2, 0}};
    double nats = 0;
    for (int s = 0; s < 2; s++) {
      for (int t = 0; t < 2; t++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < 3; j++) max = Math.max(max, scores[s][t * 3 + j]);
        double sum = 0;
        for (int j = 0; j < 3; j++) sum += Math.exp(scores[s][t * 3 + j] - max);
        nats -= scores[s][t * 3 + targets[s][t]] - max - Math.log(sum);
      }
    }
    double expected = nats / 4;
    dev.neurite.spi.SetupCheck.Setup logits = new dev.neurite.spi.SetupCheck.Setup(dev.neurite.tensor.Shape.of(2, 3),
        dev.neurite.tensor.Shape.of(2), dev.neurite.spi.Loss.Reading.CLASS_LOGITS, List.of());
    dev.neurite.standard.metrics.TokenCrossEntropy ce = new dev.neurite.standard.metrics.TokenCrossEntropy();
    dev.neurite.standard.metrics.Perplexity perplexity = new dev.neurite.standard.metrics.Perplexity();
    dev.neurite.standard.metrics.BitsPerCharacter bits = new dev.neurite.standard.metrics.BitsPerCharacter();
    Accuracy accuracy = new Accuracy(new Accuracy.Params(0.5));
    for (Metric m : List.of(ce, perplexity, bits, accuracy)) {
      if (m instanceof dev.neurite.spi.SetupCheck c) c.check(logits);
      m.reset();
      for (int s = 0; s < 2; s++) {
        m.update(Tensor.wrap(scores[s].clone(), 1, 2, 3), Tensor.wrap(new float[] {targets[s][0], targets[s][1]}, 1, 2), 0);
      }
    }
    assertThat(ce.value()).isCloseTo(expected, within(1e-6));
    assertThat(perplexity.value()).isCloseTo(Math.exp(expected), within(1e-5));
    assertThat(bits.value()).isCloseTo(expected / Math.log(2), within(1e-6));
    // arg-max per step: 0 (right), 0 on a tie (wrong: 2), 2 (right), 1 (wrong: 0)
    assertThat(accuracy.value()).isEqualTo(0.5);
    assertThat(ce.higherIsBetter()).isFalse();
    // log-probabilities (after log_softmax, loss nll) are read as they are
    dev.neurite.standard.metrics.TokenCrossEntropy fromLog = new dev.neurite.standard.metrics.TokenCrossEntropy();
    fromLog.check(new dev.neurite.spi.SetupCheck.Setup(dev.neurite.tensor.Shape.of(3), dev.neurite.tensor.Shape.of(1),
        dev.neurite.spi.Loss.Reading.CLASS_LOG_PROBABILITIES, List.of()));
    fromLog.reset();
    fromLog.update(Tensor.wrap(new float[] {-0.5f, -1.5f, -2f}, 1, 3), Tensor.wrap(new float[] {1}, 1, 1), 0);
    assertThat(fromLog.value()).isEqualTo(1.5);
    assertThatThrownBy(() -> new dev.neurite.standard.metrics.Perplexity().check(new dev.neurite.spi.SetupCheck.Setup(
        dev.neurite.tensor.Shape.of(1), dev.neurite.tensor.Shape.of(1), dev.neurite.spi.Loss.Reading.VALUES, List.of())))
        .hasMessageContaining("perplexity reads class scores");
  }

  @Test
  void aPaddedStepsTargetOfMinus100IsLeftOutOfTheTokenMetricsAndAccuracy() {
    // one sample of three steps; the last is padding and its scores would be wrong
    float[] scores = {3f, 0f, 0f, 0f, 3f, 0f, 0f, 0f, 9f};
    float ignored = dev.neurite.spi.StepMask.IGNORED_TARGET;
    Tensor padded = Tensor.wrap(new float[] {0, 1, ignored}, 1, 3);
    dev.neurite.spi.SetupCheck.Setup logits = new dev.neurite.spi.SetupCheck.Setup(dev.neurite.tensor.Shape.of(3, 3),
        dev.neurite.tensor.Shape.of(3), dev.neurite.spi.Loss.Reading.CLASS_LOGITS, List.of());
    dev.neurite.standard.metrics.TokenCrossEntropy ce = new dev.neurite.standard.metrics.TokenCrossEntropy();
    Accuracy accuracy = new Accuracy(new Accuracy.Params(0.5));
    ce.check(logits);
    for (Metric m : List.of(ce, accuracy)) {
      m.reset();
      m.update(Tensor.wrap(scores, 1, 3, 3), padded, 0);
    }
    double perStep = -(3 - Math.log(Math.exp(3) + 2)); // the two real steps score their targets alike
    assertThat(ce.value()).isCloseTo(perStep, within(1e-6));
    assertThat(accuracy.value()).isEqualTo(1.0);
  }
}

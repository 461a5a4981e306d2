package dev.neurite.spark;

import dev.neurite.run.SweepRun;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/** Tells a sweep when each trial's task starts on an executor (the first attempt; a retry resumes silently). */
final class TrialStarts extends SparkListener {
  /** The job property naming the trial a job runs. */
  static final String TRIAL = "neurite.trial";

  private final Map<Integer, SweepRun.TrialTask> trials;
  private final SweepRun.TrialEvents events;
  private final Map<Integer, Integer> trialOfStage = new ConcurrentHashMap<>();
  private final Set<Integer> started = ConcurrentHashMap.newKeySet();

  TrialStarts(Map<Integer, SweepRun.TrialTask> trials, SweepRun.TrialEvents events) {
    this.trials = trials;
    this.events = events;
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    String trial = job.properties() == null ? null : job.properties().getProperty(TRIAL);
    if (trial == null) return;
    for (Object stage : scala.jdk.javaapi.CollectionConverters.asJava(job.stageIds())) trialOfStage.put((Integer) stage, Integer.valueOf(trial));
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart task) {
    Integer trial = trialOfStage.get(task.stageId());
    if (trial != null && started.add(trial)) events.started(trials.get(trial));
  }
}

package dev.neurite.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate that decides from measured time whether to fork, driven by a simulated clock. */
class ForkGateTest {
  private static final int WINDOW = 10;

  /** A simulated machine: how long a job and the gap after it take, forked or on the caller alone. */
  private record Machine(long forkedJob, long aloneJob, long forkedGap, long aloneGap) {
    static Machine jobs(long forked, long alone) {
      return new Machine(forked, alone, 0, 0);
    }
  }

  /** Runs {@code windows} windows of jobs through the gate; returns whether each window forked. */
  private static List<Boolean> drive(ForkGate gate, int windows, Machine machine, long[] clock) {
    List<Boolean> forked = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      boolean fork = gate.fork();
      for (int j = 0; j < WINDOW; j++) {
        assertThat(gate.fork()).as("the mode holds for a whole window").isEqualTo(fork);
        long start = clock[0];
        long end = start + (fork ? machine.forkedJob() : machine.aloneJob());
        gate.record(start, end);
        clock[0] = end + (fork ? machine.forkedGap() : machine.aloneGap());
      }
      forked.add(fork);
    }
    return forked;
  }

  /** Indices of the windows that ran {@code mode}. */
  private static List<Integer> windowsThat(List<Boolean> forked, boolean mode) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < forked.size(); i++) if (forked.get(i) == mode) at.add(i);
    return at;
  }

  @Test
  void stopsForkingWhenTheCallerAloneIsFasterAndProbesBackLessAndLessOften() {
    ForkGate gate = new ForkGate(WINDOW, 4, 32);
    List<Boolean> forked = drive(gate, 200, Machine.jobs(130, 100), new long[1]);
    // four settled windows forking, a probe alone (100 < 0.95 x 130): it switches; then a forking
    // probe after 4, 8, 16, 32, 32 ... windows alone, none of which wins
    assertThat(forked.subList(0, 5)).containsExactly(true, true, true, true, false);
    assertThat(windowsThat(forked, true)).containsExactly(0, 1, 2, 3, 9, 18, 35, 68, 101, 134, 167);
  }

  @Test
  void keepsForkingWhenItPays() {
    ForkGate gate = new ForkGate(WINDOW, 4, 32);
    List<Boolean> forked = drive(gate, 200, Machine.jobs(60, 100), new long[1]);
    // probes alone after 4, 8, 16, 32, 32 ... windows forking
    assertThat(windowsThat(forked, false)).containsExactly(4, 13, 30, 63, 96, 129, 162, 195);
  }

  @Test
  void followsTheMachineWhenForkingStopsPayingAndStartsAgain() {
    ForkGate gate = new ForkGate(WINDOW, 4, 32);
    long[] clock = new long[1];
    drive(gate, 300, Machine.jobs(60, 100), clock); // settled on forking, probing every 32 windows
    List<Boolean> after = drive(gate, 100, Machine.jobs(150, 100), clock); // the second vCPU is taken
    int switched = after.indexOf(false);
    assertThat(switched).as("the next probe notices: within the longest interval").isBetween(0, 33);
    assertThat(after.subList(switched, switched + 4)).containsOnly(false);
    List<Boolean> back = drive(gate, 100, Machine.jobs(60, 100), clock); // and is free again
    int returned = back.indexOf(true);
    assertThat(returned).isBetween(0, 33);
    assertThat(back.subList(70, 100).stream().filter(f -> !f).count()).as("settled on forking again: one probe alone at most")
        .isLessThanOrEqualTo(1);
  }

  @Test
  void differencesWithinTheMarginDoNotSwitch() {
    ForkGate gate = new ForkGate(WINDOW, 4, 32);
    List<Boolean> forked = drive(gate, 300, Machine.jobs(100, 96), new long[1]); // 4 % faster alone: noise
    assertThat(windowsThat(forked, false)).containsExactly(4, 13, 30, 63, 96, 129, 162, 195, 228, 261, 294);
  }

  @Test
  void theTimeBetweenJobsCounts() {
    // the jobs take as long either way, but a worker spinning between them slows the caller's other work
    ForkGate gate = new ForkGate(WINDOW, 4, 32);
    List<Boolean> forked = drive(gate, 50, new Machine(100, 100, 80, 20), new long[1]);
    assertThat(forked.subList(4, 9)).containsOnly(false);
  }

  @Test
  void rejectsAWindowOrIntervalsThatCannotWork() {
    assertThatThrownBy(() -> new ForkGate(0, 4, 32)).hasMessage("window 0, intervals 4..32");
    assertThatThrownBy(() -> new ForkGate(10, 8, 4)).hasMessage("window 10, intervals 8..4");
  }
}

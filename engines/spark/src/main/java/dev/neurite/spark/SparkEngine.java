package dev.neurite.spark;

import dev.neurite.engine.Engine;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The spark engine: {@code --engine spark --master local[2]} (or {@code spark://...}, {@code yarn},
 * {@code k8s://...}, or no {@code --master} under spark-submit). A sweep's trials run as Spark tasks and
 * a run's predictions are computed partition by partition on the executors (docs/spark.md).
 */
public final class SparkEngine implements Engine {
  @Override
  public String name() {
    return "spark";
  }

  @Override
  public Session start(Settings settings) {
    SparkConf conf = new SparkConf(true).setIfMissing("spark.app.name", "neurite");
    if (settings.master() != null) conf.setMaster(settings.master());
    if (!conf.contains("spark.master")) {
      throw new IllegalArgumentException("no Spark master: give --master (local[2], spark://host:7077, yarn, k8s://...) or run under spark-submit");
    }
    String master = conf.get("spark.master");
    if (master.startsWith("local")) { // one JVM on this machine: no network interface but loopback is needed, and no web UI
      conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1")
          .setIfMissing("spark.ui.enabled", "false");
    }
    conf.setIfMissing("spark.task.cpus", Integer.toString(settings.threadsPerTask()));
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    return new SparkRuns(spark, settings);
  }
}

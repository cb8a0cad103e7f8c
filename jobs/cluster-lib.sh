# Shared by jobs/cluster-test and jobs/netns-cluster-test (after lib.sh): a Spark installation
# for test clusters whose master and worker JVMs run from the project's Maven classpath, and the
# small language-model job they train.

# test_spark_home DIR: DIR/sparkhome with the empty jars/ the Worker needs, the classpath in
# SPARK_DIST_CLASSPATH (the workers give it to their executors) and the cluster's own logging
# (conf/log4j2.properties is the jobs'): warnings, the master's registrations and the executors'
# tasks on each daemon's console. Sets CP, the daemons' classpath.
test_spark_home() {
  export SPARK_HOME=$1/sparkhome SPARK_SCALA_VERSION=2.13 SPARK_CONF_DIR=$1/sparkhome/conf
  SPARK_DIST_CLASSPATH="$APP_JAR:$(cat "$CLASSPATH_FILE")"
  export SPARK_DIST_CLASSPATH
  mkdir -p "$SPARK_HOME/jars" "$SPARK_CONF_DIR"
  cat > "$SPARK_CONF_DIR/log4j2.properties" <<'LOG'
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex
logger.master.name = org.apache.spark.deploy.master.Master
logger.master.level = info
logger.executor.name = org.apache.spark.executor.Executor
logger.executor.level = info
LOG
  CP="$SPARK_CONF_DIR:$SPARK_DIST_CLASSPATH"
}

# lm_job DIR: DIR/text.txt (2,500 generated lines) and DIR/lm.conf, two epochs of a small
# character model on two partitions (42 rounds, a checkpoint after each).
lm_job() {
  for i in $(seq 1 2500); do
    echo "the white whale and the ship $((i % 37)) sailed on the sea while captain $((i % 11)) watched"
  done > "$1/text.txt"
  cat > "$1/lm.conf" <<CONF
task = language-model
data.format = text
data.train = $1/text.txt
model.hidden = 32
model.layers = 1
train.epochs = 2
train.batch = 8
train.window = 50
spark.partitions = 2
average.every = 10
checkpoint.every.rounds = 1
CONF
}

# rounds_done RUNDIR: the rounds in RUNDIR/metrics.jsonl so far.
rounds_done() { cat "$1/metrics.jsonl" 2> /dev/null | grep -c '"type":"round"' || true; }

# Shared by the jobs/ scripts: build the application when needed and run one job through
# spark-submit ($SPARK_HOME/bin/spark-submit when there is one, else Spark's own SparkSubmit
# class on the project's Maven classpath). Spark options pass through; the master defaults to
# local[*].
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APP_JAR="$ROOT/target/spark-lstm-0.1.0-SNAPSHOT.jar"
CLASSPATH_FILE="$ROOT/target/app.classpath"

# Java 17 module opens Spark needs (what spark-class adds).
JAVA_OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector --add-opens=java.base/java.lang=ALL-UNNAMED
--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
--add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
--add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
-Dio.netty.tryReflectionSetAccessible=true"

# OpenBLAS's kernel choice. OpenBLAS 0.3 runs its AVX2 (Haswell) kernels on this project's AVX-512
# machines unless told otherwise (and the environment may pin Haswell); its AVX-512 (SkylakeX)
# kernels make training 35-55% faster here (jobs/bench-step). SPARKLSTM_OPENBLAS_CORETYPE:
# auto (default) = SkylakeX when this CPU reports avx512f, else leave OPENBLAS_CORETYPE alone;
# keep = leave it alone; anything else = that core name. Executors in local mode share the
# driver's process; on a cluster set spark.executorEnv.OPENBLAS_CORETYPE (see
# conf/spark-defaults.conf). Different kernels round differently: bit-for-bit reproducibility
# holds for one kernel choice.
case "${SPARKLSTM_OPENBLAS_CORETYPE:-auto}" in
  auto) if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then export OPENBLAS_CORETYPE=SkylakeX; fi ;;
  keep) ;;
  *) export OPENBLAS_CORETYPE=$SPARKLSTM_OPENBLAS_CORETYPE ;;
esac

# (Re)builds the thin application jar and the runtime classpath when sources changed.
build_app() {
  if [ ! -f "$CLASSPATH_FILE" ] || [ ! -f "$APP_JAR" ] \
     || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$CLASSPATH_FILE" -print -quit)" ]; then
    echo "Building spark-lstm (first run downloads dependencies from Maven Central)..." >&2
    (cd "$ROOT" && mvn -q -B -DskipTests compile jar:jar dependency:build-classpath \
      -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=compile >&2)
    touch "$CLASSPATH_FILE"
  fi
}

# run_job JOB ARGS...: spark-submit options (--master, --deploy-mode, --conf spark.k=v, ...)
# anywhere in ARGS go to Spark; everything else goes to the job.
run_job() {
  local job=$1; shift
  # The command as typed, for the lines that say how to resume a run (see TrainJob).
  SPARKLSTM_COMMAND=$(printf '%q ' "$0" "$@"); export SPARKLSTM_COMMAND
  local spark=() app=() master=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --master) master=$2; shift 2 ;;
      --conf)
        if [[ "${2:-}" == spark.*=* ]]; then spark+=(--conf "$2"); else app+=(--conf "${2:-}"); fi
        shift 2 ;;
      --deploy-mode|--driver-memory|--executor-memory|--executor-cores|--num-executors|\
      --total-executor-cores|--jars|--packages|--name|--driver-java-options|--queue)
        spark+=("$1" "$2"); shift 2 ;;
      --verbose) spark+=("$1"); shift ;;
      --help|-h) app+=("$1"); shift ;;
      *) app+=("$1"); shift ;;
    esac
  done
  build_app
  # Spark's, Hadoop's and ND4J's logging goes to a file (conf/log4j2.properties); the console
  # keeps the job's own lines, so a failure reads as one line.
  local log_dir=${SPARKLSTM_LOG_DIR:-$ROOT/logs}
  mkdir -p "$log_dir" 2>/dev/null && [ -w "$log_dir" ] || log_dir=${TMPDIR:-/tmp}
  local logging="-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties
    -Dsparklstm.log.file=$log_dir/$job-$(date +%Y%m%d-%H%M%S)-$$.log"
  # Local masters bind to loopback (the machine's hostname may resolve elsewhere).
  if [[ "${master:-local[*]}" == local* ]]; then export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}; fi
  local submit_args=(--master "${master:-local[*]}" --properties-file "$ROOT/conf/spark-defaults.conf"
    "${spark[@]}" --class io.sparklstm.cli.Main)
  if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
    # The shaded application jar (ND4J inside, Spark provided by the installation).
    local shaded="$ROOT/target/spark-lstm-0.1.0-SNAPSHOT-app.jar"
    [ -f "$shaded" ] && [ -z "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$shaded" -print -quit)" ] \
      || (cd "$ROOT" && mvn -q -B -DskipTests package >&2)
    # spark-class starts the driver JVM with SPARK_SUBMIT_OPTS.
    SPARK_SUBMIT_OPTS="${SPARK_SUBMIT_OPTS:-} $(echo $logging)" without_jvm_notice \
      "$SPARK_HOME/bin/spark-submit" "${submit_args[@]}" "$shaded" "$job" "${app[@]}"
  fi
  # shellcheck disable=SC2086
  without_jvm_notice java $JAVA_OPENS $logging ${JAVA_OPTS:--Xmx4g} \
    -cp "$ROOT/conf:$APP_JAR:$(cat "$CLASSPATH_FILE")" \
    org.apache.spark.deploy.SparkSubmit "${submit_args[@]}" "$APP_JAR" "$job" "${app[@]}"
}

# without_jvm_notice CMD...: runs CMD, dropping from its standard error the notice every JVM
# prints when the Vector API's incubator module is loaded (it cannot be switched off), and exits
# with CMD's code once everything has been printed. The filter ignores Ctrl-C so that the job's
# last words still get through.
without_jvm_notice() {
  set +e +o pipefail
  exec 3>&1
  "$@" 2>&1 1>&3 3>&- | { trap '' INT; grep -v --line-buffered -x \
    'WARNING: Using incubator modules: jdk.incubator.vector'; } 1>&2
  exit "${PIPESTATUS[0]}"
}

# driver_pid PID: the driver JVM of the job script running as PID (PID itself if the script
# exec'd java, else its java descendant), for the tests that kill the driver itself (killing the
# script would leave the JVM running).
driver_pid() {
  local child
  if [ "$(ps -o comm= -p "$1")" = java ]; then echo "$1"; return 0; fi
  for child in $(pgrep -P "$1"); do
    driver_pid "$child" && return 0
  done
  return 1
}

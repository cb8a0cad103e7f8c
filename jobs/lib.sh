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
cpu_has_avx512() { grep -qw avx512f /proc/cpuinfo 2>/dev/null; }
case "${SPARKLSTM_OPENBLAS_CORETYPE:-auto}" in
  auto) if cpu_has_avx512; then export OPENBLAS_CORETYPE=SkylakeX; fi ;;
  keep) ;;
  *) export OPENBLAS_CORETYPE=$SPARKLSTM_OPENBLAS_CORETYPE ;;
esac

# (Re)builds the thin application jar and the runtime classpath when sources changed.
build_app() {
  if [ ! -f "$CLASSPATH_FILE" ] || [ ! -f "$APP_JAR" ] \
     || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$CLASSPATH_FILE" -print -quit)" ]; then
    echo "Building spark-lstm (first run downloads dependencies from Maven Central)..." >&2
    (cd "$ROOT" && mvn -q -B -DskipTests compile jar:jar dependency:build-classpath \
      -Dmdep.outputFile="$CLASSPATH_FILE" -DincludeScope=compile >&2)
    touch "$CLASSPATH_FILE"
  fi
}

# --conf VALUE and -c VALUE (also --conf=VALUE) are spark-submit's when VALUE is spark.KEY=VALUE,
# or another KEY=VALUE that names no existing file; otherwise VALUE is the job's configuration
# file (spark-submit itself ignores keys outside spark.*, with a warning).
spark_conf() { [[ "$1" == spark.*=* ]] || { [[ "$1" == *=* ]] && [ ! -e "$1" ]; }; }

# job_key KEY=VALUE: whether KEY is one of the job's own keys (ml/param's conf keys), which Spark
# would take and ignore: --conf train.epochs=2 must not train with the file's epochs in silence.
JOB_KEY='^(task|spark\.partitions|(data|model|vocab|text|train|optim|average|checkpoint)\.[a-z.]+)='
job_key() { [[ "$1" =~ $JOB_KEY ]]; }

# spark.master as the properties files spark-submit reads set it: FILE (--properties-file) and,
# without one or with --load-spark-defaults (LOAD=1), $SPARK_CONF_DIR or $SPARK_HOME/conf's
# spark-defaults.conf.
file_master() {
  local files=() dir=${SPARK_CONF_DIR:-${SPARK_HOME:+$SPARK_HOME/conf}}
  if [ -n "$dir" ] && { [ -z "$1" ] || [ "$2" = 1 ]; }; then files+=("$dir/spark-defaults.conf"); fi
  if [ -n "$1" ]; then files+=("$1"); fi
  [ ${#files[@]} -gt 0 ] || return 0
  cat "${files[@]}" 2>/dev/null \
    | sed -nE 's/^[[:space:]]*spark\.master[[:space:]]*[=:[:space:]][[:space:]]*//p' | tail -1
}

# run_job JOB ARGS...: every spark-submit option in ARGS (Spark 4.0.1's list, --opt value or
# --opt=value) goes to spark-submit unchanged and in order, with the exception of --conf/-c
# values that name the job's configuration (spark_conf above) and --help/-h, which print the
# job's help; --class is refused (the jobs run their own). Everything else goes to the job. No
# properties file is added: spark-submit reads $SPARK_HOME/conf/spark-defaults.conf as usual.
# SPARKLSTM_DRY_RUN=1 prints the command (SPARK_LOCAL_IP=... first when set), one argument per
# line, and runs nothing.
run_job() {
  local job=$1; shift
  # The command as typed, for the lines that say how to resume a run (see TrainJob).
  SPARKLSTM_COMMAND=$(printf '%q ' "$0" "$@"); export SPARKLSTM_COMMAND
  local spark=() app=() arg opt val given master="" conf_master="" props="" load_defaults=0
  local driver_memory="" dry=${SPARKLSTM_DRY_RUN:-0}
  while [ $# -gt 0 ]; do
    arg=$1; shift
    opt=$arg given=("$arg")
    if [[ "$arg" == --*=* ]]; then opt=${arg%%=*} val=${arg#*=}; fi
    case "$opt" in
      --archives|--conf|-c|--deploy-mode|--driver-class-path|--driver-cores|\
      --driver-default-class-path|--driver-java-options|--driver-library-path|--driver-memory|\
      --executor-cores|--executor-memory|--files|--jars|--keytab|--kill|--master|--remote|\
      --name|--num-executors|--packages|--exclude-packages|--principal|--properties-file|\
      --proxy-user|--py-files|--queue|--repositories|--status|--total-executor-cores)
        if [ "$opt" = "$arg" ]; then
          [ $# -gt 0 ] || { echo "error: option $arg needs a value" >&2; exit 2; }
          val=$1 given+=("$1"); shift
        fi
        case "$opt" in
          --conf|-c)
            if ! spark_conf "$val"; then app+=(--conf "$val"); continue; fi
            if job_key "$val"; then
              echo "error: $opt $val sets a job key, which Spark would ignore; use --set $val" >&2
              exit 2
            fi
            if [[ "$val" == spark.master=* ]]; then conf_master=${val#spark.master=}; fi ;;
          --master) master=$val ;;
          --properties-file) props=$val ;;
          --driver-memory) driver_memory=$val ;;
        esac
        spark+=("${given[@]}") ;;
      --supervise|--usage-error|--verbose|-v|--version|--load-spark-defaults)
        if [ "$opt" = --load-spark-defaults ]; then load_defaults=1; fi
        spark+=("$arg") ;;
      --class) echo "error: --class: jobs/$job runs spark-lstm's own main class" >&2; exit 2 ;;
      *) app+=("$arg") ;;
    esac
  done
  [ "$dry" = 1 ] || build_app
  if wants_help "${app[@]}"; then
    # The job's usage only: no Spark, no log file.
    # shellcheck disable=SC2086
    without_jvm_notice java $JAVA_OPENS -cp "$APP_JAR:$(cat "$CLASSPATH_FILE")" \
      io.sparklstm.cli.Main "$job" --help
  fi
  if [ -n "${master:-$conf_master}" ]; then check_master "${master:-$conf_master}"; fi
  # Local runs bind to loopback (the machine's hostname may resolve elsewhere); the master is
  # resolved as spark-submit does: --master, spark.master from --conf or the properties files,
  # $MASTER, local[*]. The application adds its other defaults itself (Main.sparkConf).
  local m=${master:-${conf_master:-$(file_master "$props" "$load_defaults")}}
  if [[ "${m:-${MASTER:-local[*]}}" == local* ]]; then
    export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
  fi
  # Spark's, Hadoop's and ND4J's logging goes to a file (conf/log4j2.properties); the console
  # keeps the job's own lines, so a failure reads as one line.
  local log_dir=${SPARKLSTM_LOG_DIR:-$ROOT/logs}
  mkdir -p "$log_dir" 2>/dev/null && [ -w "$log_dir" ] || log_dir=${TMPDIR:-/tmp}
  local logging="-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties
    -Dsparklstm.log.file=$log_dir/$job-$(date +%Y%m%d-%H%M%S)-$$.log"
  local submit_args=("${spark[@]}" --class io.sparklstm.cli.Main)
  local cmd
  if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
    # The shaded application jar (ND4J inside, Spark provided by the installation).
    local shaded="$ROOT/target/spark-lstm-0.1.0-SNAPSHOT-app.jar"
    if [ "$dry" != 1 ] && { [ ! -f "$shaded" ] \
        || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$shaded" -print -quit)" ]; }; then
      (cd "$ROOT" && mvn -q -B -DskipTests package >&2)
    fi
    # spark-class starts the driver JVM with SPARK_SUBMIT_OPTS.
    # shellcheck disable=SC2086
    cmd=(env "SPARK_SUBMIT_OPTS=${SPARK_SUBMIT_OPTS:-} $(echo $logging)"
      "$SPARK_HOME/bin/spark-submit" "${submit_args[@]}" "$shaded" "$job" "${app[@]}")
  else
    # Spark's SparkSubmit in this JVM: the driver's heap is this JVM's (--driver-memory or
    # JAVA_OPTS).
    # shellcheck disable=SC2206
    cmd=(java $JAVA_OPENS $logging ${JAVA_OPTS:--Xmx${driver_memory:-4g}}
      -cp "$ROOT/conf:$APP_JAR:$(cat "$CLASSPATH_FILE" 2>/dev/null || true)"
      org.apache.spark.deploy.SparkSubmit "${submit_args[@]}" "$APP_JAR" "$job" "${app[@]}")
  fi
  if [ "$dry" = 1 ]; then
    if [ -n "${SPARK_LOCAL_IP:-}" ]; then echo "SPARK_LOCAL_IP=$SPARK_LOCAL_IP"; fi
    printf '%s\n' "${cmd[@]}"
    exit 0
  fi
  without_jvm_notice "${cmd[@]}"
}

# check_master URL: fails with one line unless URL has a form Spark accepts (Main.MASTER_FORMS;
# Spark's own check would end in a stack trace before the job starts).
check_master() {
  local n='[0-9]+' s='[[:space:]]*'
  local forms="local|local\\[$s($n|\\*)$s(,$s$n$s)?\\]|local-cluster\\[$s$n$s,$s$n$s,$s$n$s\\]"
  [[ "$1" =~ ^($forms|spark://[^/].*|yarn|k8s://.+)$ ]] \
    || { echo "error: --master '$1' is not a Spark master; expected local, local[N], local[*]," \
      "local[N,F], local-cluster[N,C,MB], spark://HOST:PORT, yarn or k8s://HOST:PORT" >&2; exit 2; }
}

# wants_help ARGS...: whether ARGS hold --help or -h.
wants_help() {
  local a
  for a in "$@"; do
    if [ "$a" = --help ] || [ "$a" = -h ]; then return 0; fi
  done
  return 1
}

# script_help ARGS...: when ARGS ask for help, prints the calling script's leading comment (its
# usage) and exits: every script answers --help without side effects.
script_help() {
  if wants_help "$@"; then
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    exit 0
  fi
}

JVM_NOTICE='WARNING: Using incubator modules: jdk.incubator.vector'

# without_jvm_notice CMD...: runs CMD, dropping from its standard error the notice every JVM
# prints when the Vector API's incubator module is loaded (it cannot be switched off), and exits
# with CMD's code once everything has been printed. The filter ignores Ctrl-C so that the job's
# last words still get through.
without_jvm_notice() {
  set +e +o pipefail
  exec 3>&1
  "$@" 2>&1 1>&3 3>&- | { trap '' INT; grep -v --line-buffered -x "$JVM_NOTICE"; } 1>&2
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

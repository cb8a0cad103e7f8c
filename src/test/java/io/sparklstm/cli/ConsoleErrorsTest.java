package io.sparklstm.cli;

import static io.sparklstm.cli.JobScripts.assertUserError;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the console shows when a user gets something wrong, through the real scripts: one line
 * naming the problem, exit code 2, no Spark logging and no stack trace, also when the mistake is
 * found inside a Spark task.
 */
class ConsoleErrorsTest {
  @TempDir
  Path dir;

  @Test
  void missingTrainingDataIsOneLine() throws Exception {
    Path conf = Files.writeString(dir.resolve("a.conf"), "task = classification\n"
        + "data.format = csv\ndata.train = " + dir.resolve("none.csv") + "\n");
    assertUserError(JobScripts.run("train", "--conf", conf.toString(), "--out",
        dir.resolve("out").toString()), "data.train", "none.csv");
  }

  @Test
  void aBadRowFoundInASparkTaskIsOneLine() throws Exception {
    Path csv = Files.writeString(dir.resolve("b.csv"), "text,label\nhello,0\nbye,x\n");
    Path conf = Files.writeString(dir.resolve("b.conf"), "task = classification\n"
        + "data.format = csv\nmodel.classes = 2\ndata.train = " + csv + "\n");
    assertUserError(JobScripts.run("train", "--conf", conf.toString(), "--out",
        dir.resolve("out").toString()), "b.csv row 2", "label 'x'");
  }
}

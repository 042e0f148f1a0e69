package io.innkeeper.cdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

class DeterminismTest {

  @Test
  void twoSynthsGiveByteIdenticalTemplates() throws Exception {
    byte[] first = synthesize("determinism-1");
    byte[] second = synthesize("determinism-2");
    assertTrue(first.length > 1000, "a real template");
    assertArrayEquals(first, second);
  }

  private static byte[] synthesize(String name) throws Exception {
    App app = Synth.app(name);
    InnkeeperApp.create(app);
    Path template =
        Path.of(app.synth().getStackByName(InnkeeperApp.STACK_ID).getTemplateFullPath());
    return Files.readAllBytes(template);
  }
}

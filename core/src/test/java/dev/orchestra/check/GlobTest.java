package dev.orchestra.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobTest {
  @TempDir Path root;

  @Test
  void doubleStarMatchesAnyDepthIncludingNone() {
    Glob glob = Glob.of("**/*.xml");

    assertThat(glob.matches("TEST-a.xml")).isTrue();
    assertThat(glob.matches("target/surefire-reports/TEST-a.xml")).isTrue();
    assertThat(glob.matches("target/a.xml.bak")).isFalse();
  }

  @Test
  void singleStarAndQuestionMarkStayWithinOneSegment() {
    assertThat(Glob.of("docs/*.md").matches("docs/a.md")).isTrue();
    assertThat(Glob.of("docs/*.md").matches("docs/sub/a.md")).isFalse();
    assertThat(Glob.of("*.md").matches("docs/a.md")).isFalse();
    assertThat(Glob.of("a?c").matches("abc")).isTrue();
    assertThat(Glob.of("a?c").matches("a/c")).isFalse();
  }

  @Test
  void supportsClassesAndAlternatives() {
    assertThat(Glob.of("{PLAN,README}.md").matches("PLAN.md")).isTrue();
    assertThat(Glob.of("{PLAN,README}.md").matches("OTHER.md")).isFalse();
    assertThat(Glob.of("file[0-9].txt").matches("file7.txt")).isTrue();
    assertThat(Glob.of("file[!0-9].txt").matches("file7.txt")).isFalse();
    assertThat(Glob.of("a+b(c).txt").matches("a+b(c).txt")).isTrue();
  }

  @Test
  void rejectsPathsOutsideTheWorkspace() {
    assertThatThrownBy(() -> Glob.of("../secrets/*"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("'../secrets/*'");
    assertThatThrownBy(() -> Glob.of("/etc/passwd")).isInstanceOf(OrchestraException.class);
  }

  @Test
  void findsFilesUnderTheRootSortedAndRelative() throws Exception {
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b/z.txt"), "");
    Files.writeString(root.resolve("a/y.txt"), "");
    Files.writeString(root.resolve("x.log"), "");

    assertThat(Glob.of("**/*.txt").find(root, 10))
        .containsExactly(Path.of("a/b/z.txt"), Path.of("a/y.txt"));
    assertThat(Glob.of("./a/y.txt").find(root, 10)).containsExactly(Path.of("a/y.txt"));
    assertThat(Glob.of("nothing/**").find(root, 10)).isEmpty();
  }
}

package dev.orchestra.runtime.spawn;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CStringsTest {
  @Test
  void laysTheStringsOutAsANullTerminatedArrayOfNulTerminatedStrings() {
    List<String> strings = List.of("PATH=/usr/bin:/bin", "", "NAME=grüße");
    try (var array = new CStrings(strings, StandardCharsets.UTF_8)) {
      Pointer p = array.pointer();
      for (int i = 0; i < strings.size(); i++) {
        Pointer s = p.getPointer((long) i * Native.POINTER_SIZE);
        assertThat(s.getString(0, "UTF-8")).isEqualTo(strings.get(i));
      }
      assertThat(p.getPointer((long) strings.size() * Native.POINTER_SIZE)).isNull();
    }
  }

  @Test
  void anEmptyListIsAnArrayOfTheNullAlone() {
    try (var array = new CStrings(List.of(), StandardCharsets.UTF_8)) {
      assertThat(array.pointer().getPointer(0)).isNull();
    }
  }
}

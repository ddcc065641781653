package dev.orchestra.store.file;

import java.nio.charset.StandardCharsets;

/**
 * Maps node ids to directory names. Ids of composed inner nodes ({@code outer/inner}) become {@code
 * outer.inner}: node ids cannot hold a dot, so the mapping cannot collide. Any other character
 * outside {@code [A-Za-z0-9_-]} is written as {@code %XX} so that no id escapes the run directory.
 */
final class NodeDirectories {
  private NodeDirectories() {}

  static String name(String nodeId) {
    StringBuilder sb = new StringBuilder(nodeId.length());
    for (byte b : nodeId.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-') {
        sb.append(c);
      } else if (c == '/') {
        sb.append('.');
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }
}

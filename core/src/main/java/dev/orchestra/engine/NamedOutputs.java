package dev.orchestra.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra.OrchestraException;
import dev.orchestra.trust.ReadLimits;
import dev.orchestra.trust.WorkspacePaths;
import dev.orchestra.workflow.OutputSpec;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a node's named {@code outputs} from its workspace after its checks passed, each under the
 * path rule ({@link WorkspacePaths}: inside the workspace, a regular file, at most {@link
 * ReadLimits#OUTPUT_BYTES}, within the node's timeout).
 */
final class NamedOutputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NamedOutputs() {}

  /**
   * The outputs by name: a {@code file} output's text; a {@code json} output's JSON, parsed and
   * written back compactly.
   *
   * @throws OrchestraException naming the output, its file and what is wrong
   */
  static Map<String, String> read(
      String nodeId, Map<String, OutputSpec> specs, WorkspacePaths files) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, OutputSpec> e : specs.entrySet()) {
      String path = e.getValue().path();
      String label = "output '" + e.getKey() + "' of node '" + nodeId + "'";
      WorkspacePaths.Resolved r = files.regularFile(files.root(), path);
      if (r instanceof WorkspacePaths.Refused refused) {
        throw new OrchestraException(
            refused.reason().equals("does not exist")
                ? label
                    + ": file "
                    + path
                    + " was not written (looked at "
                    + files.root().resolve(path).normalize()
                    + ")"
                : label + ": " + path + " " + refused.reason());
      }
      Path file = ((WorkspacePaths.Inside) r).path();
      String text;
      try {
        text = files.readText(file, label + ": " + path, ReadLimits.OUTPUT_BYTES);
      } catch (NoSuchFileException ex) {
        throw new OrchestraException(
            label + ": file " + path + " was not written (looked at " + file + ")", ex);
      } catch (IOException ex) {
        throw new OrchestraException(ex.getMessage(), ex);
      }
      if (e.getValue() instanceof OutputSpec.JsonOutput) {
        try {
          text = JSON.writeValueAsString(JSON.readTree(text));
        } catch (JsonProcessingException ex) {
          throw new OrchestraException(
              label + ": " + path + " is not valid JSON: " + ex.getOriginalMessage(), ex);
        }
      }
      values.put(e.getKey(), text);
    }
    return values;
  }

  /**
   * The {@code output} of a composed node: its declared output named {@code output}, or all as
   * JSON.
   */
  static String composite(Map<String, String> outputs) {
    if (outputs.containsKey("output")) {
      return outputs.get("output");
    }
    try {
      return JSON.writeValueAsString(outputs);
    } catch (JsonProcessingException e) {
      throw new OrchestraException("cannot write outputs as JSON", e);
    }
  }
}

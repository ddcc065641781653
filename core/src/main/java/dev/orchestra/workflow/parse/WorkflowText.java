package dev.orchestra.workflow.parse;

import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.WorkspaceSpec;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * A workflow file's text with one key changed, for a front end that must record what it really ran
 * (a run resumed later reads the recorded text again).
 *
 * <p>The text is edited as SnakeYAML's node graph, not as a value tree: every other scalar keeps
 * its exact text and quoting, so it reads back as the same value (a plain {@code 1.10} stays {@code
 * 1.10}, anchors stay anchors). Comments and layout are not kept. Stateless and thread-safe.
 */
public final class WorkflowText {
  private WorkflowText() {}

  /**
   * {@code text} (a YAML or JSON workflow file) with its top-level {@code workspace} set to {@code
   * ws}, written as YAML; the keys {@code remote} and {@code credentials} are written when set.
   *
   * @throws OrchestraException when {@code text} is not one YAML document holding a mapping
   */
  public static String withWorkspace(String text, WorkspaceSpec ws) {
    LoaderOptions loading = new LoaderOptions();
    loading.setCodePointLimit((int) WorkflowParser.MAX_FILE_BYTES);
    DumperOptions dumping = new DumperOptions();
    dumping.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    dumping.setIndent(2);
    // Long lines stay whole: a folded plain scalar would read back the same, but less plainly.
    dumping.setSplitLines(false);
    dumping.setWidth(Integer.MAX_VALUE);
    Yaml yaml = new Yaml(new SafeConstructor(loading), new Representer(dumping), dumping, loading);
    Node root;
    try {
      root = yaml.compose(new StringReader(text));
    } catch (YAMLException e) {
      throw new OrchestraException(
          "the workflow is not one YAML document: " + e.getMessage() + "; fix its syntax", e);
    }
    if (!(root instanceof MappingNode map)) {
      throw new OrchestraException(
          "the workflow's top level is no mapping, so its workspace cannot be set");
    }
    List<NodeTuple> tuples = new ArrayList<>(map.getValue());
    NodeTuple workspace = new NodeTuple(plain("workspace"), mapping(ws));
    int at = index(tuples, "workspace");
    if (at >= 0) {
      tuples.set(at, workspace);
    } else {
      int nodes = index(tuples, "nodes");
      tuples.add(nodes >= 0 ? nodes : tuples.size(), workspace);
    }
    map.setValue(tuples);
    StringWriter out = new StringWriter();
    yaml.serialize(map, out);
    return out.toString();
  }

  private static int index(List<NodeTuple> tuples, String key) {
    for (int i = 0; i < tuples.size(); i++) {
      if (tuples.get(i).getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private static MappingNode mapping(WorkspaceSpec ws) {
    List<NodeTuple> t = new ArrayList<>();
    text(t, "repo", ws.repo());
    text(t, "ref", ws.ref());
    if (ws.isolation() != null) {
      t.add(
          new NodeTuple(plain("isolation"), plain(ws.isolation().name().toLowerCase(Locale.ROOT))));
    }
    text(t, "branch_prefix", ws.branchPrefix());
    if (ws.push() != null) {
      t.add(
          new NodeTuple(
              plain("push"),
              new ScalarNode(
                  Tag.BOOL, ws.push().toString(), null, null, DumperOptions.ScalarStyle.PLAIN)));
    }
    text(t, "remote", ws.remote());
    text(t, "credentials", ws.credentials());
    text(t, "author", ws.author());
    return new MappingNode(Tag.MAP, t, DumperOptions.FlowStyle.BLOCK);
  }

  private static void text(List<NodeTuple> tuples, String key, String value) {
    if (value != null) {
      // Quoted, so that no value (a commit id of digits, "yes") reads back as anything else.
      tuples.add(
          new NodeTuple(
              plain(key),
              new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.DOUBLE_QUOTED)));
    }
  }

  private static ScalarNode plain(String value) {
    return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.PLAIN);
  }
}

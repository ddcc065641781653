package dev.orchestra.git;

import dev.orchestra.OrchestraException;
import java.io.IOException;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/** Moves refs that belong to a run, whatever they pointed at before. Stateless. */
final class Refs {
  /** The results of a forced update that leave the ref at the new commit. */
  private static final Set<RefUpdate.Result> DONE =
      Set.of(
          RefUpdate.Result.NEW,
          RefUpdate.Result.FORCED,
          RefUpdate.Result.NO_CHANGE,
          RefUpdate.Result.FAST_FORWARD);

  private Refs() {}

  /**
   * Points {@code ref} (a full name, e.g. {@code refs/heads/orchestra/RUN/NODE}) of {@code repo} at
   * {@code id}, forced: a rerun after a crash makes the run's refs again.
   *
   * @param where the repository as the user knows it, for the error message
   * @throws OrchestraException when the ref cannot be moved (e.g. it is locked)
   */
  static void force(Repository repo, String ref, ObjectId id, Object where) {
    if (id == null) {
      throw new OrchestraException("no commit to point " + ref + " at in '" + where + "'");
    }
    try {
      RefUpdate u = repo.updateRef(ref);
      u.setNewObjectId(id);
      u.setForceUpdate(true);
      RefUpdate.Result r = u.update();
      if (!DONE.contains(r)) {
        throw new OrchestraException("cannot set " + ref + " in '" + where + "': " + r);
      }
    } catch (IOException e) {
      throw new OrchestraException("cannot set " + ref + " in '" + where + "': " + e, e);
    }
  }
}

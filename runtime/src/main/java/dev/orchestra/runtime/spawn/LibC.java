package dev.orchestra.runtime.spawn;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The C library functions {@link PosixSpawner} calls, as glibc on Linux declares them (the
 * constants are Linux's, the same on x86-64 and arm64). The {@code posix_spawn*} functions return
 * an error number instead of setting {@code errno}; the others return -1 and set it.
 */
interface LibC extends Library {
  short POSIX_SPAWN_SETSIGMASK = 0x08;
  short POSIX_SPAWN_SETSID = 0x80;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int EINTR = 4;
  int ENOEXEC = 8;

  /** Bytes that hold a {@code posix_spawn_file_actions_t} (80 in glibc), with room to spare. */
  int FILE_ACTIONS_SIZE = 256;

  /** Bytes that hold a {@code posix_spawnattr_t} (336 in glibc), with room to spare. */
  int ATTR_SIZE = 1024;

  /** Bytes that hold a {@code sigset_t} (128 in glibc). */
  int SIGSET_SIZE = 128;

  int posix_spawn(
      IntByReference pid,
      String path,
      Pointer fileActions,
      Pointer attr,
      Pointer argv,
      Pointer envp);

  int posix_spawn_file_actions_init(Pointer fileActions);

  int posix_spawn_file_actions_destroy(Pointer fileActions);

  int posix_spawn_file_actions_addopen(
      Pointer fileActions, int fd, String path, int flags, int mode);

  int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

  /** glibc 2.29 and later. */
  int posix_spawn_file_actions_addchdir_np(Pointer fileActions, String path);

  /** glibc 2.34 and later. */
  int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

  int posix_spawnattr_init(Pointer attr);

  int posix_spawnattr_destroy(Pointer attr);

  /** Returns {@code EINVAL} for a flag this glibc does not know ({@code SETSID} before 2.26). */
  int posix_spawnattr_setflags(Pointer attr, short flags);

  int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

  int sigemptyset(Pointer sigset);

  int pipe2(int[] fds, int flags);

  int close(int fd);

  int waitpid(int pid, IntByReference status, int options);

  String strerror(int errnum);
}

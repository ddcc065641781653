#!/usr/bin/env bash
# Builds the images the Docker integration tests run, without a registry: each is a `docker import`
# of a root filesystem tree assembled from files on this machine.
#
#   orchestra-test-busybox:latest  busybox (static) and its applets: sh, sleep, dd, nc, wget, id ...
#   orchestra-test-node:latest     the above plus node and its libraries, and the claude CLI from the
#                                  agent CLI cache when bin/install-agent-clis has filled it
#   orchestra-test-java:latest     busybox plus a Java runtime in /opt/java (a jlink of this machine's
#                                  JDK) and its libraries: the orchestra CLI runs in it, as in the
#                                  agent image (the Jenkins library's real pipeline test)
#
# Needs a running Docker engine and busybox-static (bin/test installs both). Idempotent: an image
# whose inputs did not change is not rebuilt (a checksum of the tree's listing is kept as a label).
set -euo pipefail

say() { printf 'build-test-images: %s\n' "$*" >&2; }

busybox_bin="$(command -v busybox || true)"
[[ -n $busybox_bin ]] || { say "busybox is missing; apt-get install -y busybox-static"; exit 1; }
# ldd fails on a static executable, which is what the image needs: nothing else is in it.
! ldd "$busybox_bin" >/dev/null 2>&1 \
  || { say "$busybox_bin is not statically linked; apt-get install -y busybox-static"; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A tree with busybox and one link per applet, /tmp, and passwd/group files with the invoking user,
# so that `id` and tools that look up the home directory work when the container runs as that uid.
busybox_tree() {
  local root=$1
  mkdir -p "$root"/{bin,usr/bin,etc,tmp,root,home/orchestra}
  chmod 1777 "$root/tmp"
  chmod 777 "$root/home/orchestra"
  cp "$busybox_bin" "$root/bin/busybox"
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [[ -e $root/bin/$applet ]] || ln -s busybox "$root/bin/$applet"
  done
  ln -s ../../bin/env "$root/usr/bin/env"
  printf 'root:x:0:0:root:/root:/bin/sh\norchestra:x:%s:%s:orchestra:/home/orchestra:/bin/sh\n' \
    "${SUDO_UID:-$(id -u)}" "${SUDO_GID:-$(id -g)}" >"$root/etc/passwd"
  printf 'root:x:0:\norchestra:x:%s:\n' "${SUDO_GID:-$(id -g)}" >"$root/etc/group"
}

# Copies a dynamically linked program and the shared libraries it loads into the tree.
copy_with_libs() {
  local root=$1 program=$2 lib
  mkdir -p "$root$(dirname "$program")"
  cp -L "$program" "$root$program"
  for lib in $(ldd "$program" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}

# Imports the tree as IMAGE unless an image built from the same tree exists already.
import_tree() {
  local root=$1 image=$2 sum
  # Path, mode, size and link target of every entry: cheap, and changes when any input does.
  sum="$(cd "$root" && find . -printf '%p %m %s %l\n' | LC_ALL=C sort | sha256sum | cut -c1-16)"
  if [[ $(docker image inspect -f '{{index .Config.Labels "orchestra.tree"}}' "$image" 2>/dev/null) == "$sum" ]]; then
    say "$image is up to date"
    return
  fi
  say "importing $image"
  tar -C "$root" -c . | docker import \
    -c "LABEL orchestra.tree=$sum" -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    -c 'ENV HOME=/home/orchestra' -c 'CMD ["/bin/sh"]' - "$image" >/dev/null
}

busybox_tree "$work/busybox"
import_tree "$work/busybox" orchestra-test-busybox:latest

# Copies the shared libraries that the programs and libraries under DIR load, from outside the tree.
copy_libs_of() {
  local root=$1 dir=$2 file lib
  while IFS= read -r file; do
    for lib in $(ldd "$file" 2>/dev/null | grep -o '/[^ ]*'); do
      [[ $lib == "$root"/* || -e $root$lib ]] && continue
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done < <(find "$dir" -type f \( -name '*.so' -o -path '*/bin/*' \))
}

java_bin="$(command -v java || true)"
jlink_bin="$(command -v jlink || true)"
if [[ -n $java_bin && -n $jlink_bin ]]; then
  busybox_tree "$work/java"
  mkdir -p "$work/java/opt" "$work/java/lib64"
  # The modules the orchestra CLI's jar needs (Jackson, JGit, docker-java, picocli), generously.
  "$jlink_bin" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.httpserver \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$work/java/opt/java"
  copy_libs_of "$work/java" "$work/java/opt/java"
  cp -L /lib64/ld-linux-x86-64.so.2 "$work/java/lib64/" 2>/dev/null || true
  import_tree "$work/java" orchestra-test-java:latest
else
  say "java or jlink is missing: skipping orchestra-test-java (the real Jenkins pipeline test will skip its containers)"
fi

node_bin="$(command -v node || true)"
if [[ -z $node_bin ]]; then
  say "node is not installed: skipping orchestra-test-node (the claude-in-Docker test will skip)"
  exit 0
fi
busybox_tree "$work/node"
copy_with_libs "$work/node" "$(readlink -f "$node_bin")"
[[ $(readlink -f "$node_bin") == /usr/bin/node ]] \
  || ln -s "$(readlink -f "$node_bin")" "$work/node/usr/bin/node"
# The dynamic loader and the CA bundle (the CLIs talk HTTPS to real endpoints).
mkdir -p "$work/node/lib64" "$work/node/etc/ssl/certs" "$work/node/usr/local/bin"
cp -L /lib64/ld-linux-x86-64.so.2 "$work/node/lib64/" 2>/dev/null || true
cp -L /etc/ssl/certs/ca-certificates.crt "$work/node/etc/ssl/certs/" 2>/dev/null || true
# The agent CLIs from the cache that bin/install-agent-clis fills: its bin/ links to each CLI. A
# native CLI (claude ships as one executable) is copied with its libraries; a node script is
# copied with its whole cache at the same path, so that its links still resolve.
cli_cache="${ORCHESTRA_CACHE:-$HOME/.cache/orchestra}/agent-clis"
if [[ -d $cli_cache/bin ]]; then
  for cli in "$cli_cache"/bin/*; do
    [[ -e $cli ]] || continue
    target="$(readlink -f "$cli")"
    if head -c 4 "$target" | grep -q 'ELF'; then
      copy_with_libs "$work/node" "$target"
      ln -sf "$target" "$work/node/usr/local/bin/$(basename "$cli")"
    else
      if [[ -z ${cache_copied:-} ]]; then
        mkdir -p "$work/node$cli_cache"
        cp -a "$cli_cache/." "$work/node$cli_cache/"
        cache_copied=1
      fi
      ln -sf "$target" "$work/node/usr/local/bin/$(basename "$cli")"
    fi
  done
  # The container runs as the invoking user, which need not be the cache's owner.
  [[ -d $work/node$cli_cache ]] && chmod -R a+rX "$work/node$cli_cache"
  dir="$cli_cache"
  while [[ $dir != / ]]; do
    [[ -d $work/node$dir ]] && chmod a+rx "$work/node$dir"
    dir="$(dirname "$dir")"
  done
else
  say "no agent CLI cache at $cli_cache: orchestra-test-node has node but no agent CLIs"
fi
import_tree "$work/node" orchestra-test-node:latest

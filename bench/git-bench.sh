#!/usr/bin/env bash
# What does `isolation: branch` cost? In one go on this machine, runs the same workflow of N
# parallel `command` nodes, each appending a line to a different new file, twice on a clone of
# this repository (a real tree of a few hundred files):
#   shared   every node in the one checkout, no git handling
#   branch   a worktree and branch per node, a commit per node, the run branch merged at the end
# R times each, and prints the median wall time and the peak RSS of `orchestra run` for both.
# Usage: bench/git-bench.sh [N] [R]  (defaults 8 and 3). Needs git (only to make the clone).
set -euo pipefail
cd "$(dirname "$0")/.."

n="${1:-8}"
repeat="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bin/orchestra --version >/dev/null # builds the jar outside the timing
jar="$PWD/cli/target/orchestra.jar"
git clone -q "$PWD" "$work/repo"
cd "$work/repo"
git -c user.name=bench -c user.email=bench@localhost commit -q --allow-empty -m base
echo '.orchestra/' >>.git/info/exclude
branch="$(git rev-parse --abbrev-ref HEAD)"
echo "tree: $(git ls-files | wc -l) files, $(du -sh --exclude=.git . | cut -f1)"

for isolation in shared branch; do
  {
    printf 'version: 1\nname: bench\ndefaults: {agent: command}\nlimits: {concurrency: %s}\n' "$n"
    printf 'workspace: {repo: %s, ref: %s, isolation: %s}\nnodes:\n' "$PWD" "$branch" "$isolation"
    for i in $(seq 1 "$n"); do
      printf '  n%s: {command: "echo %s >> bench-%s.txt; echo wrote %s"}\n' "$i" "$i" "$i" "$i"
    done
  } >"$work/flow-$isolation.yaml"
done

for isolation in shared branch; do
  : >"$work/$isolation.txt"
  for _ in $(seq 1 "$repeat"); do
    /usr/bin/time -f '%e %M' -o "$work/time" \
      java -jar "$jar" run "$work/flow-$isolation.yaml" --no-live >"$work/out" 2>&1 \
      || { cat "$work/out"; echo "git-bench: the $isolation run failed" >&2; exit 1; }
    cat "$work/time" >>"$work/$isolation.txt"
    git clean -qfdx -e .orchestra # the shared runs write into the checkout
  done
done

python3 - "$work" "$n" <<'EOF'
import statistics, sys
work, n = sys.argv[1], sys.argv[2]
rows = {}
for iso in ("shared", "branch"):
    runs = [line.split() for line in open(f"{work}/{iso}.txt") if line.strip()]
    rows[iso] = (statistics.median(float(w) for w, _ in runs), max(int(m) for _, m in runs) / 1024)
for iso, (wall, rss) in rows.items():
    print(f"{iso:7} {n} nodes: median wall {wall:.2f} s, peak RSS {rss:.0f} MiB")
print(f"branch/shared: {rows['branch'][0] / rows['shared'][0]:.2f}x, "
      f"{(rows['branch'][0] - rows['shared'][0]) / int(n) * 1000:.0f} ms more per node")
EOF

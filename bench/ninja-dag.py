#!/usr/bin/env python3
"""Writes one random DAG twice: as an Orchestra workflow and as a build.ninja.

Usage: ninja-dag.py N SEED OUT_DIR
Node i (from 0) depends on 2 or 3 distinct earlier nodes (fewer for the first ones), chosen with
a fixed seed, so every run of the benchmark compares the same graph. Each node does the same
work in both tools: `true && touch out/nI`, run by /bin/sh (ninja always uses `sh -c`; a string
`command:` in Orchestra does too).
"""
import os
import random
import sys


def main():
    n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rnd = random.Random(seed)
    deps = []
    for i in range(n):
        k = min(i, rnd.choice((2, 3)))
        deps.append(sorted(rnd.sample(range(i), k)) if k else [])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "build.ninja"), "w") as f:
        f.write("rule r\n  command = true && touch $out\n\n")
        for i, d in enumerate(deps):
            implicit = " | " + " ".join(f"out/n{j}" for j in d) if d else ""
            f.write(f"build out/n{i}: r{implicit}\n")
    with open(os.path.join(out, "workflow.yaml"), "w") as f:
        f.write(f"version: 1\nname: ninja-dag-{n}\n")
        f.write("defaults: {agent: command, attempts: 1}\n")
        f.write("nodes:\n")
        for i, d in enumerate(deps):
            f.write(f"  n{i}:\n")
            if d:
                f.write("    needs: [" + ", ".join(f"n{j}" for j in d) + "]\n")
            f.write(f"    command: true && touch out/n{i}\n")
    edges = sum(len(d) for d in deps)
    print(f"{n} nodes, {edges} edges, seed {seed}")


if __name__ == "__main__":
    main()

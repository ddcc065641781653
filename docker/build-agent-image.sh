#!/usr/bin/env bash
# Builds the orchestra-agent image from docker/Dockerfile (needs a registry: it pulls the Node.js
# base image and the agent CLIs from npm). The build context holds only the Orchestra jar, built
# first from this checkout, and bin/orchestra-cds, which archives its classes for fast starts.
#   docker/build-agent-image.sh [TAG]     (default orchestra-agent:latest)
set -euo pipefail
cd "$(dirname "$0")/.."

tag="${1:-orchestra-agent:latest}"
bin/orchestra --version >/dev/null # builds cli/target/orchestra.jar when it is stale
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
cp cli/target/orchestra.jar bin/orchestra-cds docker/Dockerfile "$context/"
docker build -t "$tag" "$context"
echo "built $tag; use it with 'executor: docker' and 'image: $tag'"

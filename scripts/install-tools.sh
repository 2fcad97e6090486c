#!/usr/bin/env bash
# A developer's laptop only: installs the CLIs of the k3d dev loop (k3d, kubectl, tilt) with the official installers,
# which download release binaries from the internet. It refuses to run without a Docker engine, which k3d needs; the
# test machines and CI have none and never run this (their tools come from `scripts/deploy-tools install`).
set -euo pipefail

command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 || {
  echo "install-tools: no Docker engine here (docker info failed): k3d, and so this dev loop, needs one." >&2
  echo "Install Docker (Docker Desktop with WSL2 on Windows), or work without a cluster: bash scripts/stack up" >&2
  exit 1
}

ARCH="$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')"
OS="$(uname -s | tr '[:upper:]' '[:lower:]')"

if ! command -v k3d >/dev/null; then
  echo "Installing k3d..."
  curl -fsSL https://raw.githubusercontent.com/k3d-io/k3d/main/install.sh | bash
fi
if ! command -v kubectl >/dev/null; then
  echo "Installing kubectl..."
  version="$(curl -fsSL https://dl.k8s.io/release/stable.txt)"
  curl -fsSLo /tmp/kubectl "https://dl.k8s.io/release/$version/bin/$OS/$ARCH/kubectl"
  sudo install /tmp/kubectl /usr/local/bin/kubectl
  rm /tmp/kubectl
fi
if ! command -v tilt >/dev/null; then
  echo "Installing tilt..."
  curl -fsSL https://raw.githubusercontent.com/tilt-dev/tilt/master/scripts/install.sh | bash
fi

echo
k3d version
kubectl version --client
tilt version

#!/usr/bin/env bash
# A developer's laptop only (needs a Docker engine): creates the k3d cluster `flowforge` with the registry
# flowforge-registry:5111 and the ports of plan §3, then the namespace. Next: `tilt up` at the repository root.
set -euo pipefail

CLUSTER_NAME=flowforge
REGISTRY_NAME=flowforge-registry
REGISTRY_PORT=5111

need() { command -v "$1" >/dev/null 2>&1 || { echo "setup-cluster: $1 not found — run scripts/install-tools.sh ($2)" >&2; exit 1; }; }
need docker "Docker Desktop or docker-ce"
docker info >/dev/null 2>&1 || {
  echo "setup-cluster: no Docker engine answers (docker info failed). k3d runs Kubernetes inside Docker; start Docker first." >&2
  echo "Without Docker, use the local stack instead: bash scripts/stack up" >&2
  exit 1
}
need k3d "https://k3d.io"
need kubectl "https://kubernetes.io/docs/tasks/tools/"
need tilt "https://docs.tilt.dev/install.html"

if k3d cluster list -o json | grep -q "\"name\":\"$CLUSTER_NAME\""; then
  echo "Deleting the existing cluster $CLUSTER_NAME..."
  k3d cluster delete "$CLUSTER_NAME"
fi

echo "Creating k3d cluster $CLUSTER_NAME (1 server, 2 agents, registry $REGISTRY_NAME:$REGISTRY_PORT)"
# Services are reached through Tilt's port forwards (Tiltfile), so no load-balancer ports are mapped; Traefik is off
# because the dev overlay has no Ingress.
k3d cluster create "$CLUSTER_NAME" \
  --servers 1 \
  --agents 2 \
  --registry-create "$REGISTRY_NAME:0.0.0.0:$REGISTRY_PORT" \
  --k3s-arg "--disable=traefik@server:0" \
  --wait

kubectl config use-context "k3d-$CLUSTER_NAME"
kubectl get nodes
kubectl create namespace flowforge --dry-run=client -o yaml | kubectl apply -f -

echo
echo "Cluster ready: context k3d-$CLUSTER_NAME, registry localhost:$REGISTRY_PORT, namespace flowforge."
echo "Next: bash scripts/stack down (frees the ports Tilt forwards), then tilt up  → http://localhost:10350"

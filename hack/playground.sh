#!/usr/bin/env bash
# Keeper's playground: a simulated cluster (kube-sim) running a real 3-member ZooKeeper
# ensemble managed by Keeper, on this machine, in about a minute.
#
#   hack/playground.sh           start everything, show the cluster, wait; Ctrl-C stops it all
#   hack/playground.sh --check   the same, but exit 0 once the cluster works (tests, CI)
#
# Needs root (each pod gets its own mount namespace), kubectl, and ZooKeeper with a JRE
# (installed by hack/install-deps.sh when missing). State lives in ./playground (git-ignored).
set -euo pipefail

cd "$(dirname "$0")/.."
check=false
timeout="${PLAYGROUND_TIMEOUT:-180s}"
for argument in "$@"; do
  case "$argument" in
    --check) check=true ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "playground: unknown argument $argument (try --help)" >&2; exit 2 ;;
  esac
done

dir=playground
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "playground: kube-sim runs pods in their own mount namespaces, which needs root; run: sudo $0 $*" >&2
  exit 1
fi
command -v kubectl >/dev/null || { echo "playground: kubectl is needed (https://kubernetes.io/docs/tasks/tools/)" >&2; exit 1; }

say "Checking ZooKeeper, Java and netcat"
hack/install-deps.sh

say "Building (swift build)"
swift build --product kube-sim >/dev/null
# The keeper:* image kube-sim's kubelet runs is this build (kube-sim --keeper-binary).
swift build --product keeper >/dev/null
bin="$(swift build --show-bin-path)"

# A previous playground's kube-sim may still be running: stop it, keep nothing of its state.
for pidfile in "$dir/kube-sim.pid"; do
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.5; done
  fi
done
rm -rf "$dir"
mkdir -p "$dir"
export KUBECONFIG="$PWD/$dir/kubeconfig"

pids=()
cleanup() {
  trap - EXIT INT TERM
  echo
  say "Stopping kube-sim (every pod's process, Keeper's and ZooKeeper's, goes with it)"
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  for ((i=${#pids[@]}-1; i>=0; i--)); do wait "${pids[i]}" 2>/dev/null || true; done
  rm -f "$dir/kube-sim.pid"
  say "Stopped; logs stay in $dir/"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "Starting kube-sim (API server and one kubelet), log: $dir/kube-sim.log"
"$bin/kube-sim" up --dir "$dir" --keeper-binary "$bin/keeper" >"$dir/kube-sim.log" 2>&1 &
pids+=($!)
echo $! >"$dir/kube-sim.pid"
for _ in $(seq 1 100); do
  [ -f "$dir/kubeconfig" ] && kubectl get --raw /readyz >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$dir/kube-sim.log" >&2; echo "playground: kube-sim exited" >&2; exit 1; }
  sleep 0.2
done
kubectl wait --for=condition=Ready node --all --timeout=30s >/dev/null

say "Installing Keeper as in a real cluster: kubectl apply -f crds/ -f deploy/"
kubectl apply -f crds/ -f deploy/
kubectl wait --for=condition=Established crd/zookeeperclusters.keeper.dev --timeout=30s >/dev/null
say "Waiting for Keeper's Deployment (two pods running the local keeper build, one holding the Lease)"
kubectl -n keeper-system rollout status deploy/keeper --timeout=120s

say "Creating a 3-member ZookeeperCluster (deploy/examples/minimal.yaml)"
kubectl apply -f deploy/examples/minimal.yaml
name="$(kubectl get -f deploy/examples/minimal.yaml -o jsonpath='{.metadata.name}')"

say "Waiting until zk/$name is Available (real ZooKeeper servers starting; up to $timeout)"
if ! kubectl wait --for=condition=Available "zk/$name" --timeout="$timeout"; then
  echo "playground: zk/$name did not become Available within $timeout. What the cluster shows:" >&2
  kubectl get zk,statefulsets,pods,pvc -o wide >&2 || true
  kubectl describe zk "$name" >&2 || true
  kubectl get events --sort-by=.lastTimestamp >&2 || true
  echo "--- kubectl logs -n keeper-system deploy/keeper --tail 30" >&2; kubectl logs -n keeper-system deploy/keeper --tail 30 >&2 || true
  echo "--- last lines of $dir/kube-sim.log" >&2; tail -n 30 "$dir/kube-sim.log" >&2 || true
  for pod in $(kubectl get pods -l "app.kubernetes.io/instance=$name" -o name); do
    echo "--- kubectl logs $pod --tail 20" >&2; kubectl logs "$pod" --tail 20 >&2 || true
  done
  exit 1
fi

echo
kubectl get zk,pods -o wide
echo
kubectl get deploy,pods,lease -n keeper-system -o wide
echo
say "kubectl logs -n keeper-system deploy/keeper"
kubectl logs -n keeper-system deploy/keeper --tail 5
echo
leader="$(kubectl get zk "$name" -o jsonpath='{.status.leader}')"
say "The ensemble's leader: $leader"
echo
cat <<EOF
Your playground is running. In another terminal:

  export KUBECONFIG=$KUBECONFIG
  kubectl get zk,pods -o wide
  kubectl describe zk $name
  kubectl logs $leader
  kubectl scale zk/$name --replicas=5
  kubectl delete pod $leader        # Keeper and the kubelet bring it back with its data
  kubectl logs -n keeper-system deploy/keeper
  kubectl get lease -n keeper-system keeper   # which Keeper pod leads

Logs: kubectl logs (Keeper), $dir/kube-sim.log (API server, TLS front and kubelet).
EOF

if $check; then
  say "--check: the cluster works; stopping"
  exit 0
fi
echo "Press Ctrl-C to stop everything."
while kill -0 "${pids[0]}" 2>/dev/null; do sleep 1; done
echo "playground: kube-sim exited unexpectedly; see $dir/kube-sim.log" >&2
exit 1

#!/bin/bash
# faults-run.sh - the real-cluster runs of aero-faults behind tools/bench/README.md
# ("Faults on a real cluster"). Needs the 3-node cluster of /work/servers (ports 3200/3210/3220,
# namespace test, RF 2) and the right to pause and kill its node2 (cluster test owner).
#   tools/bench/faults-run.sh BUILD_DIR [runs]
# Before every run it waits until no node has migrations left and the cluster has 3 nodes.
set -u
B=${1:?build dir}
RUNS=${2:-3}
D=/work/servers/cluster-8.1.2.0
PIDF=$D/node2/run/asd.pid
F=$B/tools/bench/aero-faults

settled() {
    for p in 3200 3210 3220; do
        s=$(python3 /work/servers/ping.py $p statistics 2>/dev/null | tr ';' '\n')
        echo "$s" | grep -q '^cluster_size=3$' || return 1
        echo "$s" | grep -q '^migrate_partitions_remaining=0$' || return 1
    done
}
wait_settled() {
    for _ in $(seq 1 600); do settled && return 0; sleep 1; done
    echo "cluster did not settle" >&2
    return 1
}

touch $D/NOWATCH
trap 'rm -f $D/NOWATCH; $D/start.sh >/dev/null 2>&1' EXIT
for i in $(seq 1 $RUNS); do
    for mode in one all; do
        wait_settled || exit 1
        $F --hosts 127.0.0.1:3200 --workload stale-reads --pid-file $PIDF --read-mode $mode --set faults_stale
    done
done
for i in $(seq 1 $RUNS); do
    for rate in 0 10; do
        wait_settled || exit 1
        $F --hosts 127.0.0.1:3200 --workload node-kill --pid-file $PIDF --restart "$D/start.sh 2 >/dev/null" \
            --max-error-rate $rate --set faults_kill
    done
done
wait_settled

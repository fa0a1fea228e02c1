#!/bin/bash
# faults-run.sh - the real-cluster runs of aero-faults behind tools/bench/README.md
# ("Faults on a real cluster"). Needs the 3-node cluster of /work/servers (ports 3200/3210/3220,
# namespace test, RF 2) and the right to pause and kill its node2 (cluster test owner).
#   tools/bench/faults-run.sh BUILD_DIR [runs [sections]]
# sections (default all): stale stale-early kill kill-noretry stall stall-noretry
# Before every run it waits until no node has migrations left and the cluster has 3 nodes.
set -u
B=${1:?build dir}
RUNS=${2:-3}
SECTIONS=${3:-stale stale-early kill kill-noretry stall stall-noretry}
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
stale() { # $1 = settle ms after the resume
    for mode in one all; do
        wait_settled || exit 1
        $F --hosts 127.0.0.1:3200 --workload stale-reads --pid-file $PIDF --read-mode $mode --settle-ms $1 \
            --set faults_stale
    done
}
faults() { # $1 = workload, $2 = retries
    for rate in 0 10; do
        wait_settled || exit 1
        $F --hosts 127.0.0.1:3200 --workload $1 --pid-file $PIDF --restart "$D/start.sh 2 >/dev/null" \
            --max-error-rate $rate --retries $2 --set faults_kill
    done
}
for i in $(seq 1 $RUNS); do
    for sec in $SECTIONS; do
        case $sec in
        stale) stale 6000 ;;        # checked 6 s after the resume
        stale-early) stale 2000 ;;  # checked 6 s after the pause began
        kill) faults node-kill 2 ;;
        kill-noretry) faults node-kill 0 ;;
        stall) faults node-stall 2 ;;
        stall-noretry) faults node-stall 0 ;;
        esac
    done
done
wait_settled

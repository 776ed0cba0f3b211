#!/bin/sh
# Starts a one-node Slurm cluster in folder $1 (munged, slurmctld and slurmd in the foreground of
# this script, on private ports and files), submits Examples/cluster/lodestone.sbatch there with
# `sbatch --wait`, and stops the daemons it started (by their process ids). Used by
# Tests/lodestoneTests/SlurmTests.swift; LODESTONE and SCRIPT are passed to the job.
set -eu
work="$1"
state="$work/slurm"
mkdir -p "$state/munge" "$state/spool" "$state/state" "$state/log" "$state/run"
chmod 700 "$state/munge"
mungekey --create --keyfile "$state/munge/munge.key"
pids=""
stop() { for pid in $pids; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
munged --foreground --force --key-file "$state/munge/munge.key" --socket "$state/munge/socket" \
    --pid-file "$state/munge/munged.pid" --log-file "$state/munge/munged.log" --seed-file "$state/munge/seed" 2>>"$state/log/munged.err" &
pids="$pids $!"
host=$(hostname -s)
port=$((20000 + ($$ % 5000) * 2))
cat > "$state/slurm.conf" <<CONF
ClusterName=lodestone-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$state/munge/socket
CredType=cred/munge
StateSaveLocation=$state/state
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=30 State=UP
CONF
export SLURM_CONF="$state/slurm.conf"
sleep 1
slurmctld -D -c 2>>"$state/log/slurmctld.err" &
pids="$! $pids"
sleep 1
slurmd -D 2>>"$state/log/slurmd.err" &
pids="$! $pids"
tries=0
until sinfo -h -o %t 2>/dev/null | grep -q idle; do
    tries=$((tries + 1))
    if [ "$tries" -gt 60 ]; then echo "the node did not come up" >&2; tail -20 "$state/log/slurmctld.log" >&2; exit 1; fi
    sleep 0.5
done
cd "$work"
sbatch --wait --time=20 "$(dirname "$0")/../../Examples/cluster/lodestone.sbatch"

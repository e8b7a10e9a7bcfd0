#!/bin/bash
# ss.sh PID -> per thread group: cpu ns, runqueue wait ns, timeslices (from /proc/.../schedstat)
pid=$1
for t in /proc/$pid/task/*; do
  n=$(cat $t/comm 2>/dev/null | tr ' ' '_'); s=$(cat $t/schedstat 2>/dev/null)
  echo "$n $s"
done | awk '{c=$1; sub(/-[0-9]+$/,"",c); if (c ~ /^parley-io/) c="parley-io"; if (c ~ /C[12]_Compiler/||c ~ /C2_CompilerThre|C1_CompilerThre/) c="JIT"; if (c ~ /^GC_|^G1_/) c="GC"; r[c]+=$2; w[c]+=$3; n[c]+=$4} END {for (k in r) print k, r[k], w[k], n[k]}'

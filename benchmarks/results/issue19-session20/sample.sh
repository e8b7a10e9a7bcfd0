#!/bin/bash
# sample.sh PID -> prints wchar, syscw, and per-thread-name cpu ticks
pid=$1
awk '/^wchar|^syscw/{printf "%s %s ", $1, $2}' /proc/$pid/io
for t in /proc/$pid/task/*; do
  n=$(cat $t/comm 2>/dev/null | tr ' ' '_'); s=$(cut -d' ' -f14,15 $t/stat 2>/dev/null)
  echo "$n $s"
done | awk '{c=$1; sub(/-[0-9]+$/,"",c); if (c ~ /^parley-io/) c="parley-io"; if (c ~ /C[12]_Compiler/||c ~ /C2_CompilerThre|C1_CompilerThre/) c="JIT"; if (c ~ /^GC_|^G1_/) c="GC"; t[c]+=$2+$3} END {for (k in t) printf "%s=%d ", k, t[k]; print ""}'

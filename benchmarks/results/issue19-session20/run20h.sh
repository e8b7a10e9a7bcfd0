#!/bin/bash
# A: head (ca671bf) and ev (c631a67) alternating
cd /work/perf
for i in 1 2; do
JAR=/tmp/jars/head.jar ./ab.sh s20-a-head$i A > /dev/null 2>&1
JAR=/tmp/jars/ev.jar ./ab.sh s20-a-ev$i A > /dev/null 2>&1
done

#!/bin/bash
cd /work/perf
for i in 1 2 3; do
JAR=/tmp/jars/ac.jar ./bmetrics.sh eac$i
JAR=/tmp/jars/ev.jar ./bmetrics.sh eev$i
done

#!/bin/bash
cd /work/perf
for i in 1 2 3; do
JAR=/tmp/jars/head.jar ./bmetrics.sh h$((i+2))
JAR=/tmp/jars/head.jar HOOK=/work/perf/renice-commit.sh ./bmetrics.sh rn$i
done

#!/bin/bash
# B: the same jar (setPriority(MAX) on the commit thread), without and with -XX:ThreadPriorityPolicy=1
cd /work/perf
for i in 1 2 3; do
JAR=/tmp/jars/pr.jar ./bmetrics.sh pr0$i
JAR=/tmp/jars/pr.jar JOPTS="-XX:ThreadPriorityPolicy=1" ./bmetrics.sh pr1$i
done

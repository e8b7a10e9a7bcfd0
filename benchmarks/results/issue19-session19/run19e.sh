#!/bin/bash
cd /work/perf
for i in 1 2; do
  JAR=/tmp/jars/ps.jar ./ab.sh s19-bl-l2$i B >> /work/perf/ab-loops.log 2>&1
  JOPTS="-Dio.netty.eventLoopThreads=1" JAR=/tmp/jars/ps.jar ./ab.sh s19-bl-l1$i B >> /work/perf/ab-loops.log 2>&1
done
JAR=/tmp/jars/ps.jar ./ab.sh s19-al-l21 A >> /work/perf/ab-loops.log 2>&1
JOPTS="-Dio.netty.eventLoopThreads=1" JAR=/tmp/jars/ps.jar ./ab.sh s19-al-l11 A >> /work/perf/ab-loops.log 2>&1
echo RUN-DONE >> /work/perf/ab-loops.log

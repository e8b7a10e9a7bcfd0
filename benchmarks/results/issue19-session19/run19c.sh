#!/bin/bash
cd /work/perf
JOPTS="-Xlog:gc:file=/work/perf/out/gc-b.log" JAR=/tmp/jars/bw.jar ./ab.sh s19-bgc-bw B >> /work/perf/ab-c.log 2>&1
LOAD="-c 1000 -g 10 -s 100 -r 2000" ./bare.sh s19-bare-b >> /work/perf/ab-c.log 2>&1
WARM=0 DUR=30 JAR=/tmp/jars/bw.jar ./ab.sh s19-bfirst-bw B >> /work/perf/ab-c.log 2>&1
WARM=0 DUR=30 JAR=/tmp/jars/bw.jar ./ab.sh s19-afirst-bw A >> /work/perf/ab-c.log 2>&1
echo RUN-DONE >> /work/perf/ab-c.log

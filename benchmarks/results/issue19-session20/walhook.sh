#!/bin/bash
/work/perf/walsize.sh $1 > /work/perf/out/walsize.txt 2>&1 &

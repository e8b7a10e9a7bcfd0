#!/bin/bash
# renice-commit.sh PID: the commit thread to nice ${NICE:--10}
for t in /proc/$1/task/*; do
  if grep -q '^parley-commit' $t/comm; then renice -n ${NICE:--10} -p $(basename $t) > /dev/null; fi
done

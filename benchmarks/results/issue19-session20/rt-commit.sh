#!/bin/bash
# rt-commit.sh PID: the commit thread to SCHED_FIFO 1
for t in /proc/$1/task/*; do
  if grep -q '^parley-commit' $t/comm; then chrt -f -p 1 $(basename $t); fi
done

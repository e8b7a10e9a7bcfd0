#!/bin/bash
# walsize.sh PID: WAL file size every 100 ms from 30 s to 50 s
sleep 30; f=$(ls /tmp/bm-*/*.db-wal 2>/dev/null | head -1); echo "file $f"
for i in $(seq 1 200); do stat -c %s $f; sleep 0.1; done | uniq -c

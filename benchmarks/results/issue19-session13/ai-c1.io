commits 1090 reads 4458 writes 240844; reads/commit 4.09 writes/commit 220.96

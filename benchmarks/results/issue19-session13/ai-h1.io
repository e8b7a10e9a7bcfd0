commits 1466 reads 10475 writes 322134; reads/commit 7.15 writes/commit 219.74

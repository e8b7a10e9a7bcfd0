commits 5843 reads 68513 writes 314594; reads/commit 11.73 writes/commit 53.84

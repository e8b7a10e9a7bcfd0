commits 1527 reads 4892 writes 215871; reads/commit 3.20 writes/commit 141.37

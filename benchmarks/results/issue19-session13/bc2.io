commits 5449 reads 7780 writes 308248; reads/commit 1.43 writes/commit 56.57

commits 3741 reads 62825 writes 269693; reads/commit 16.79 writes/commit 72.09

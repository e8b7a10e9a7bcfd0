commits 2582 reads 6163 writes 243061; reads/commit 2.39 writes/commit 94.14

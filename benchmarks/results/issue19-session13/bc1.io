commits 6565 reads 73026 writes 329639; reads/commit 11.12 writes/commit 50.21

# frames x 4 KiB pwrite then fsync or fdatasync, file preallocated (as a reused WAL): wall p50/p99 and CPU per commit
import os, time, sys, resource
fn = '/work/main/data-synctest.dat'
frames = int(sys.argv[2]) if len(sys.argv) > 2 else 8
mode = sys.argv[1]
N = 5000
fd = os.open(fn, os.O_RDWR | os.O_CREAT, 0o644)
os.ftruncate(fd, 0); os.write(fd, b'\0' * 41_000_000); os.fsync(fd)
sync = os.fsync if mode == 'fsync' else os.fdatasync
page = b'x' * 4120; off = 0; lat = []
r0 = resource.getrusage(resource.RUSAGE_SELF)
for i in range(N):
    t = time.perf_counter()
    for f in range(frames):
        os.pwrite(fd, page, off); off += 4120
    if off > 40_000_000: off = 0
    sync(fd)
    lat.append((time.perf_counter() - t) * 1e3)
r1 = resource.getrusage(resource.RUSAGE_SELF)
lat.sort()
q = lambda p: lat[min(N - 1, int(p * N))]
cpu = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) / N * 1e6
print(f'{mode} frames={frames} n={N}: p50 {q(.5):.3f} ms p99 {q(.99):.3f} p99.9 {q(.999):.3f}  cpu/commit {cpu:.0f} us (sys {(r1.ru_stime-r0.ru_stime)/N*1e6:.0f})')
os.unlink(fn)

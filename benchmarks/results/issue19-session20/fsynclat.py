# wall time of (frames x 4 KiB pwrite, then fdatasync) commits on the data disk: p50/p99/p99.9
import os, time, sys
fn = sys.argv[1] if len(sys.argv) > 1 else '/tmp/fsynclat.dat'
frames = int(sys.argv[2]) if len(sys.argv) > 2 else 8
N = 5000
fd = os.open(fn, os.O_RDWR | os.O_CREAT, 0o644); os.ftruncate(fd, 0)
page = b'x' * 4120; off = 0; lat = []
for i in range(N):
    t = time.perf_counter()
    for f in range(frames):
        os.pwrite(fd, page, off); off += 4120
    if off > 40_000_000: off = 0
    os.fdatasync(fd)
    lat.append((time.perf_counter() - t) * 1e3)
lat.sort()
q = lambda p: lat[min(N - 1, int(p * N))]
print(f'frames={frames} n={N}: p50 {q(.5):.3f} ms  p90 {q(.9):.3f}  p99 {q(.99):.3f}  p99.9 {q(.999):.3f}  max {lat[-1]:.3f}')
os.unlink(fn)

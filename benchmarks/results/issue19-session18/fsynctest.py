import os, time, sys
fn = '/tmp/fsynctest.dat'
fd = os.open(fn, os.O_RDWR | os.O_CREAT, 0o644)
os.ftruncate(fd, 0)
page = b'x' * 4096
hdr = b'h' * 24
N = 3000
def run(sync, frames):
    off = 0
    t0 = time.process_time(); w0 = time.time()
    for i in range(N):
        for f in range(frames):
            os.pwrite(fd, hdr, off); os.pwrite(fd, page, off + 24); off += 4120
        if off > 40_000_000: off = 0
        sync(fd)
    return (time.process_time() - t0) / N * 1e6, (time.time() - w0) / N * 1e6
for rep in range(2):
    for name, s in (('fsync', os.fsync), ('fdatasync', os.fdatasync)):
        for frames in (12, 1):
            cpu, wall = run(s, frames)
            print(f'{name:10s} frames={frames:2d}: cpu {cpu:6.1f} us  wall {wall:6.1f} us per commit')

import os, time, threading, random, sys
bg = sys.argv[1] == '1'
pages = int(sys.argv[2]) if len(sys.argv) > 2 else 300
d='/work/perf/jtest'; os.makedirs(d, exist_ok=True)
jf=os.open(d+'/journal', os.O_RDWR|os.O_CREAT)
os.posix_fallocate(jf, 0, 256<<20)
# zero-fill so extents are written (not unwritten): unwritten extents make fdatasync journal metadata
if os.fstat(jf).st_size < (256<<20) or not os.path.exists(d+'/.filled'):
    buf=b'\0'*(1<<20)
    for i in range(256): os.pwrite(jf, buf, i<<20)
    os.fsync(jf); open(d+'/.filled','w').close()
dbf=os.open(d+'/db', os.O_RDWR|os.O_CREAT)
if os.fstat(dbf).st_size < (350<<20):
    buf=os.urandom(1<<20)
    for i in range(350): os.pwrite(dbf, buf, i<<20)
    os.fsync(dbf)
SYNC = os.fsync if os.environ.get("FSYNC") else os.fdatasync
stop=False
def background():
    page=os.urandom(4096)
    while not stop:
        for _ in range(pages):
            os.pwrite(dbf, page, random.randrange(350*256)*4096)
        os.fsync(dbf)
        time.sleep(0.2)
if bg:
    t=threading.Thread(target=background); t.start()
lat=[]; off=0; rec=os.urandom(600)
end=time.time()+20
while time.time()<end:
    t0=time.perf_counter()
    os.pwrite(jf, rec, off); off=(off+4096)%(256<<20)
    SYNC(jf)
    lat.append(time.perf_counter()-t0)
    time.sleep(0.0005)
stop=True
lat.sort(); n=len(lat)
print(f"bg={bg} pages={pages} n={n} p50={lat[n//2]*1e3:.2f} p99={lat[int(n*.99)]*1e3:.2f} p99.9={lat[int(n*.999)]*1e3:.2f} max={lat[-1]*1e3:.2f} ms")

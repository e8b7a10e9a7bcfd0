import sys
def parse(f):
    d={}
    for line in open(f):
        k,r,w,n=line.split(); d[k]=(int(r),int(w),int(n))
    return d
a,b=parse(sys.argv[1]),parse(sys.argv[2])
rows=[]
for k in b:
    ra,wa,na=a.get(k,(0,0,0)); rb,wb,nb=b[k]
    rows.append((rb-ra,wb-wa,nb-na,k))
rows.sort(reverse=True)
print("10s: thread cpu_ms wait_ms slices wait_us/slice")
for r,w,n,k in rows:
    if r>5e6 or w>5e6:
        print(f"  {k:24s} {r/1e6:8.0f} {w/1e6:8.0f} {n:7d} {w/1e3/max(n,1):8.1f}")

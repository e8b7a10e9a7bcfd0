import sys,re
def load(f):
    d={}
    for l in open(f):
        m=re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)',l)
        if m: d[m.group(3)]=(int(m.group(1)),int(m.group(2)))
    return d
a=load(sys.argv[1]); b=load(sys.argv[2]); n=int(sys.argv[3])
rows=[]
for k in set(a)|set(b):
    ca,ba=a.get(k,(0,0)); cb,bb=b.get(k,(0,0))
    rows.append((bb-ba,cb-ca,k))
rows.sort(reverse=True)
tot=sum(r[0] for r in rows)
print(f"total live growth {tot} B = {tot/n:.0f} B per connection")
for db,dc,k in rows:
    if abs(db)/n<4: continue
    print(f"{db/n:8.1f} B/conn {dc/n:6.2f} obj/conn  {k}")

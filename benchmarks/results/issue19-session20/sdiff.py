import sys
def parse(f):
    d={}
    for tok in open(f).read().split():
        if '=' in tok:
            k,v=tok.split('='); d[k]=int(v)
    toks=open(f).read().split()
    d['wchar']=int(toks[1]); d['syscw']=int(toks[3])
    return d
a,b=parse(sys.argv[1]),parse(sys.argv[2])
out=[]
for k in ['wchar','syscw']:
    out.append(f"{k}/s={(b[k]-a[k])/10/1e6:.2f}M" if k=='wchar' else f"{k}/s={(b[k]-a[k])/10:.0f}")
tot=sum(b[k]-a.get(k,0) for k in b if k not in('wchar','syscw'))
out.append(f"cpu%={tot/10:.0f}")
for k in sorted(b, key=lambda k: -(b[k]-a.get(k,0))):
    if k in('wchar','syscw'): continue
    v=b[k]-a.get(k,0)
    if v>=5: out.append(f"{k}={v/10:.0f}%")
print("10s window:", " ".join(out))

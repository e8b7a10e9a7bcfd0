import sys,re
from collections import Counter
f=sys.argv[1]; want=sys.argv[2]; k=int(sys.argv[3]) if len(sys.argv)>3 else 40
tot=Counter(); selfc=Counter(); incl=Counter()
for line in open(f):
    st,n=line.rsplit(' ',1); n=int(n); fr=st.split(';')
    th=re.sub(r'-\d+$','',fr[0].split(' tid')[0].strip('['))
    tot[th]+=n
    if th.startswith(want):
        selfc[fr[-1]]+=n
        for x in set(fr): incl[x]+=n
T=sum(tot.values()); print(T, [(a,round(v*100/T,1)) for a,v in tot.most_common(8)])
C=sum(v for a,v in tot.items() if a.startswith(want))
print("self:"); [print(f"  {v*100/C:5.1f} {a[:120]}") for a,v in selfc.most_common(20)]
print("incl:"); [print(f"  {v*100/C:5.1f} {a[:120]}") for a,v in incl.most_common(k)]

#!/usr/bin/env python3
import sys, re, argparse, collections
ap = argparse.ArgumentParser()
ap.add_argument('file'); ap.add_argument('--thread'); ap.add_argument('--self', type=int, default=0)
ap.add_argument('--incl', type=int, default=0); ap.add_argument('--frame'); ap.add_argument('--threads', action='store_true')
a = ap.parse_args()
stacks = []
for line in open(a.file):
    s, _, n = line.rstrip().rpartition(' ')
    fr = s.split(';'); stacks.append((fr, int(n)))
def tname(fr): return re.sub(r'[-#]?\d+(\]|$)', r'#\1', fr[0])
total = sum(n for _, n in stacks)
if a.threads:
    c = collections.Counter()
    for fr, n in stacks: c[tname(fr)] += n
    for k, v in c.most_common(30): print(f'{v:7d} {100*v/total:5.1f}% {k}')
sel = [(fr, n) for fr, n in stacks if not a.thread or re.search(a.thread, fr[0])]
if a.frame:
    sel = [(fr, n) for fr, n in sel if any(re.search(a.frame, f) for f in fr)]
st = sum(n for _, n in sel); print(f'selected {st} of {total} ({100*st/max(total,1):.1f}%)')
if a.self:
    c = collections.Counter()
    for fr, n in sel: c[fr[-1]] += n
    for k, v in c.most_common(a.self): print(f'{v:7d} {100*v/st:5.1f}% {k[:150]}')
if a.incl:
    c = collections.Counter()
    for fr, n in sel:
        for f in set(fr[1:]): c[f] += n
    for k, v in c.most_common(a.incl): print(f'{v:7d} {100*v/st:5.1f}% {k[:150]}')

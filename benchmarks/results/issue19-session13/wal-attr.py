import sqlite3, os, shutil, sys, random, string, struct, collections
# wal-attr.py SRC_DB MSGS_PER_COMMIT THREADS_PER_COMMIT COMMITS [clientids=ordered|random]
src, per, nthreads, ncommits = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
cmode = sys.argv[5] if len(sys.argv) > 5 else 'ordered'
db = '/tmp/replay/r.db'
shutil.copy(src, db)
for ext in ('-wal', '-shm'):
    if os.path.exists(db + ext): os.remove(db + ext)
c = sqlite3.connect(db, isolation_level=None)
c.execute('pragma journal_mode=wal'); c.execute('pragma secure_delete=' + os.environ.get('SD','on')); c.execute('pragma cache_size=' + os.environ.get('CS','-2000')); c.execute('pragma wal_autocheckpoint=0'); c.execute('pragma synchronous=full')
threads = [r[0] for r in c.execute('select thread_id from messages group by thread_id')]
seqs = {t: c.execute('select max(seq) from messages where thread_id=?', (t,)).fetchone()[0] for t in threads}
sender = {t: c.execute('select sender from messages where thread_id=? limit 1', (t,)).fetchone()[0] for t in threads}
c.execute('pragma wal_checkpoint(truncate)')
def frames():
    data = open(db + '-wal', 'rb').read()
    out = []; off = 32
    while off + 24 <= len(data):
        out.append(struct.unpack('>I', data[off:off+4])[0]); off += 24 + 4096
    return out
f0 = len(frames()) if os.path.exists(db + '-wal') else 0
ti = 0
import time
for tx in range(ncommits):
    c.execute('begin immediate')
    nxt = (c.execute('select coalesce(max(doc_id),0) from messages where doc_id is not null').fetchone()[0]) + 1
    chosen = [threads[(ti + k) % len(threads)] for k in range(nthreads)]; ti += nthreads
    bythread = collections.defaultdict(int)
    for i in range(per): bythread[chosen[i % nthreads]] += 1
    rows = []
    for t, n in sorted(bythread.items()):
        last = c.execute('update threads set last_seq = last_seq + ?, last_activity = ? where id = ? returning last_seq', (n, int(time.time()*1000), t)).fetchone()[0]
        for k in range(n):
            s = last - n + 1 + k
            mid = '-P9' + str(tx).zfill(6) + str(len(rows)).zfill(4) + ''.join(random.choices(string.ascii_letters, k=9))
            cid = (f'1.{s}.{random.randint(0,10**10)}' if cmode == 'ordered' else ''.join(random.choices('0123456789abcdef', k=32)))
            c.execute('insert into messages (thread_id, seq, id, sender, body, ts, client_id, attachments, kind, target, emoji, reaction_on, reply_to, edited_at, deleted, doc_id) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                      (t, s, mid, sender[t], 'x'*100, 1796512227150, cid, None, 0, None, None, None, None, None, 0, nxt + len(rows)))
            rows.append('x'*100)
    for k, b in enumerate(rows):
        c.execute('insert into search_fts (rowid, body) values (?,?)', (nxt + k, b))
    c.execute('commit')
fr = frames()[f0:]
pages = {}
for name, pageno in c.execute('select name, pageno from dbstat'): pages[pageno] = name
cnt = collections.Counter(pages.get(p, 'new/free') for p in fr)
print(f'{per} msgs/commit over {nthreads} threads, {ncommits} commits, clientIds {cmode}: {len(fr)/ncommits:.1f} frames per commit')
for k, v in cnt.most_common(): print(f'  {k:32s} {v/ncommits:6.2f}')

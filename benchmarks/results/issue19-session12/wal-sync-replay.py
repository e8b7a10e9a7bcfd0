import sqlite3, os, shutil, sys, random, string, time
ps = int(sys.argv[1]); shape = sys.argv[2]; var = sys.argv[3] if len(sys.argv) > 3 else ''  # shape: A (100 msgs over 10 threads) or B (2 msgs in random of 100 threads)
db = f'/tmp/ps-{ps}-{shape}.db'
src = f'/tmp/ps-base-{ps}.db'
if not os.path.exists(src):
    shutil.copy('/tmp/mig.db', src + '.tmp')  # the V8-shaped copy of an A database
    c = sqlite3.connect(src + '.tmp', isolation_level=None)
    c.execute('pragma journal_mode=delete'); c.execute(f'pragma page_size={ps}'); c.execute('vacuum'); c.execute('pragma journal_mode=wal'); c.close()
    os.rename(src + '.tmp', src)
shutil.copy(src, db)
for ext in ('-wal', '-shm'):
    if os.path.exists(db + ext): os.remove(db + ext)
c = sqlite3.connect(db, isolation_level=None)
c.execute('pragma journal_mode=wal'); c.execute('pragma synchronous=' + ('off' if 'nosync' in var else 'normal' if 'own' in var else 'full'))
walfd = None
threads = [r[0] for r in c.execute('select id from threads')]
seqs = {t: (c.execute('select max(seq) from messages where thread_id=?', (t,)).fetchone()[0] or 0) for t in threads}
words = ['hello','world','meeting','tomorrow','lunch','project','deadline','coffee','review','merge','deploy','great','thanks','see','you']
def body(): return ' '.join(random.choice(words) + ('' if random.random() < .7 else str(random.randint(0,999))) for _ in range(15))
c.execute('begin'); c.execute('commit')
ntx = 40 if shape == 'A' else 3000; per = 100 if shape == 'A' else 2
nxt = c.execute('select max(doc_id) from messages where doc_id is not null').fetchone()[0] + 1
t0 = time.process_time(); w0 = time.time()
for tx in range(ntx):
    c.execute('begin immediate')
    for i in range(per):
        t = threads[i % 10] if shape == 'A' else random.choice(threads)
        seqs[t] += 1; s = seqs[t]
        mid = '1' + str(tx*1000+i).zfill(9) + ''.join(random.choices(string.ascii_letters, k=12))
        b = body()
        c.execute('insert into messages (thread_id, seq, id, sender, body, ts, client_id, kind, deleted, doc_id) values (?,?,?,?,?,?,?,0,0,?)',
                  (t, s, mid, 'snd'+t[:19], b, 1796512227150, ''.join(random.choices(string.ascii_letters, k=20)), nxt))
        if 'nofts' not in var: c.execute('insert into search_fts (rowid, body) values (?,?)', (nxt, b))
        nxt += 1
        c.execute('update threads set last_seq = ? where id = ?', (s, t))
    c.execute('commit')
    if 'own' in var:
        if walfd is None: walfd = os.open(db + '-wal', os.O_RDWR)
        (os.fsync if 'fsync' in var else os.fdatasync)(walfd)
cpu = time.process_time() - t0; wall = time.time() - w0
size = os.path.getsize(db + '-wal')
frames = (size - 32) // (ps + 24)
print(f'page {ps} shape {shape} {var}: frames/commit {frames/ntx:.1f}, KiB/commit {size/ntx/1024:.0f}, cpu/commit {cpu/ntx*1e6:.0f} us, wall/commit {wall/ntx*1e6:.0f} us')

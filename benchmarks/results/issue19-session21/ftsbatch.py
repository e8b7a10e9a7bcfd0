# CPU to index N 100-byte messages into FTS5 (external content) in catch-ups of B docs, one transaction each
import sqlite3, random, time, sys, os, resource
B = int(sys.argv[1]); extra = sys.argv[2] if len(sys.argv) > 2 else ''
N = 200_000
random.seed(7)
vocab = [''.join(random.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(random.randint(2, 9))) for _ in range(20000)]
def body():
    s = []
    while sum(len(w) + 1 for w in s) < 100: s.append(random.choice(vocab))
    return ' '.join(s)
fn = '/work/main/fts-test.db'
for f in (fn, fn + '-wal', fn + '-shm'):
    if os.path.exists(f): os.unlink(f)
db = sqlite3.connect(fn, isolation_level=None)
db.execute('PRAGMA journal_mode=WAL'); db.execute('PRAGMA synchronous=FULL'); db.execute('PRAGMA cache_size=-32768')
db.execute('CREATE TABLE messages (doc_id INTEGER PRIMARY KEY, body TEXT)')
db.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5(body, content='messages', content_rowid='doc_id', tokenize='unicode61 remove_diacritics 2'{extra})")
rows = [(i + 1, body()) for i in range(N)]
db.execute('BEGIN'); db.executemany('INSERT INTO messages VALUES (?, ?)', rows); db.execute('COMMIT')
r0 = resource.getrusage(resource.RUSAGE_SELF); t0 = time.time()
done = 0
while done < N:
    db.execute('BEGIN IMMEDIATE')
    db.execute('INSERT INTO search_fts (rowid, body) SELECT doc_id, body FROM messages WHERE doc_id > ? AND doc_id <= ?', (done, done + B))
    db.execute('COMMIT'); done += B
r1 = resource.getrusage(resource.RUSAGE_SELF)
cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
print(f'batch {B} {extra or "detail=full"}: {cpu / N * 1e6:.1f} us cpu per doc ({(r1.ru_stime - r0.ru_stime) / N * 1e6:.1f} sys), wall {time.time() - t0:.1f} s')

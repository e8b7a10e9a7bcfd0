import sqlite3, os, shutil, sys, random, string
variant = sys.argv[1]
src = '/tmp/io2.db'; db = f'/tmp/frames-{variant}.db'
shutil.copy(src, db)
for ext in ('-wal', '-shm'):
    if os.path.exists(db + ext): os.remove(db + ext)
c = sqlite3.connect(db, isolation_level=None)
c.execute('pragma journal_mode=wal'); c.execute('pragma wal_autocheckpoint=0'); c.execute('pragma synchronous=full')
if 'noclient' in variant: c.execute('drop index messages_client')
if 'docid' in variant:
    c.execute('alter table messages add column doc_id integer')
    c.execute('create unique index messages_doc on messages (doc_id) where doc_id is not null')
    c.execute("update messages set doc_id = (select doc_id from search_docs d where d.thread_id = messages.thread_id and d.seq = messages.seq)")
    c.execute('drop view search_content'); c.execute('create view search_content as select doc_id, body from messages where doc_id is not null')
    c.execute("create table docmax (k integer primary key, v integer)"); c.execute("insert into docmax values (1, (select max(doc_id) from search_docs))")
    c.execute('drop table search_docs')
if 'colsize' in variant:
    c.execute('drop table search_fts')
    c.execute("create virtual table search_fts using fts5(body, content='search_content', content_rowid='doc_id', tokenize='unicode61 remove_diacritics 2', columnsize=0)")
    c.execute("insert into search_fts(search_fts) values('rebuild')")

threads = [r[0] for r in c.execute('select thread_id from messages group by thread_id')][:10]
seqs = {t: c.execute('select max(seq) from messages where thread_id=?', (t,)).fetchone()[0] for t in threads}
words = ['hello','world','meeting','tomorrow','lunch','project','deadline','coffee','review','merge','deploy','great','thanks','see','you']
def body():
    return ' '.join(random.choice(words) + ('' if random.random() < .7 else str(random.randint(0,999))) for _ in range(15)) if 'real' in variant else 'x'*100
def walframes():
    s = os.path.getsize(db + '-wal'); return (s - 32) // (4096 + 24) if s else 0
c.execute('begin'); c.execute('commit')
f0 = walframes(); ntx = 30
for tx in range(ntx):
    c.execute('begin immediate')
    nxt = (c.execute('select max(doc_id) from messages').fetchone()[0] if 'docid' in variant else c.execute('select coalesce(max(doc_id),0) from search_docs').fetchone()[0]) + 1
    rows = []; bodies = []
    for i in range(100):
        t = threads[i % 10]; seqs[t] += 1; s = seqs[t]
        mid = ''.join(random.choices(string.ascii_letters, k=22)); mid = '0' + str(tx*1000+i).zfill(8) + mid[:13]
        b = body()
        if 'docid' in variant:
            c.execute('insert into messages (thread_id, seq, id, sender, body, ts, client_id, kind, deleted, doc_id) values (?,?,?,?,?,?,?,0,0,?)',
                  (t, s, mid, 'snd'+t[:19], b, 1796512227150, f'9.{s}.{random.randint(0,10**10)}', nxt + i))
        else:
            c.execute('insert into messages (thread_id, seq, id, sender, body, ts, client_id, kind, deleted) values (?,?,?,?,?,?,?,0,0)',
                  (t, s, mid, 'snd'+t[:19], b, 1796512227150, f'9.{s}.{random.randint(0,10**10)}'))
        bodies.append(b)
        rows.append((t, s))
    if 'docid' in variant:
        for k, (t, s) in enumerate(rows):
            c.execute('insert into search_fts (rowid, body) values (?,?)', (nxt + k, bodies[k]))
    elif 'nofts' not in variant:
        for t, s in rows:
            c.execute('insert into search_docs (doc_id, thread_id, seq) values (?,?,?)', (nxt, t, s))
            c.execute('insert into search_fts (rowid, body) select doc_id, body from search_content where doc_id = ?', (nxt,)); nxt += 1
    c.execute('update threads set last_seq = last_seq where id = ?', (threads[0],))
    c.execute('commit')
print(variant, 'frames per 100-message commit:', (walframes() - f0) / ntx)

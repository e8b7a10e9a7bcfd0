'use strict';
/*
 * The Node.js comparator for chat-bench: one process, the plain `http` module, `ws`, and one
 * synchronous better-sqlite3 INSERT per message (one autocommit transaction each, WAL with
 * synchronous = FULL, the durability Parley's store uses). It speaks the same protocol subset as
 * benchmarks/src/main/java/dev/parley/bench/baseline/BareNettyServer.java, so chat-bench drives it
 * unchanged: register and login (the token is the user name), group creation, the /ws upgrade
 * with `hello`, `send` answered with an `ack` to the sender and the `message` relayed to every
 * socket of the room (the sender's included), and `ping` answered with `pong`.
 *
 *   node server.js [port] [dbfile]      (defaults 19091, ./data/bench.db)
 *
 * Server frames are written with the field names and order of chat-protocol's FrameCodec (`type`
 * first: chat-bench dispatches on the bytes after {"type":").
 */
const fs = require('fs');
const http = require('http');
const path = require('path');
const Database = require('better-sqlite3');
const { WebSocketServer, WebSocket } = require('ws');

const port = process.argv[2] ? Number(process.argv[2]) : 19091;
const dbFile = process.argv[3] || path.join('.', 'data', 'bench.db');

// ------------------------------------------------------------------ storage

fs.mkdirSync(path.dirname(path.resolve(dbFile)), { recursive: true });
const db = new Database(dbFile);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
// Rooms and sequence numbers live in memory and restart at r1/1, so every run starts empty.
db.exec('DROP TABLE IF EXISTS messages');
db.exec(`CREATE TABLE messages (
  thread_id TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  id        TEXT NOT NULL,
  sender    TEXT NOT NULL,
  body      TEXT NOT NULL,
  ts        INTEGER NOT NULL,
  client_id TEXT,
  PRIMARY KEY (thread_id, seq)
)`);
const insert = db.prepare(
  'INSERT INTO messages (thread_id, seq, id, sender, body, ts, client_id) VALUES (?, ?, ?, ?, ?, ?, ?)');

// ------------------------------------------------------------------ state

/** room id -> { id, seq, sockets: Set<WebSocket> } */
const rooms = new Map();
/** user name -> rooms the user belongs to */
const roomsOf = new Map();
/** Shared counter for room ids (r<N>) and message ids (m<N>), as in BareNettyServer. */
let ids = 0;

function join(user, room, members) {
  let list = roomsOf.get(user);
  if (!list) {
    list = [];
    roomsOf.set(user, list);
  }
  list.push(room);
  members.push({ id: user });
}

// ------------------------------------------------------------------ HTTP

function respond(res, status, body) {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': bytes.length });
  res.end(bytes);
}

function bearer(req) {
  const auth = req.headers.authorization;
  return auth && auth.startsWith('Bearer ') ? auth.substring(7) : null;
}

function readJson(req, onBody) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    let body;
    try {
      body = text.length === 0 ? {} : JSON.parse(text);
    } catch (e) {
      body = undefined;
    }
    onBody(body);
  });
}

function handle(req, res, url, body) {
  switch (url.pathname) {
    case '/api/auth/register': {
      const name = String(body.username);
      respond(res, 201, { id: name, username: name, displayName: name });
      return;
    }
    case '/api/auth/login': {
      const name = String(body.username);
      respond(res, 200, { access: name, refresh: name, expiresIn: 900 });
      return;
    }
    case '/api/threads': {
      const creator = bearer(req);
      if (!creator) {
        respond(res, 401, {});
        return;
      }
      const room = { id: 'r' + ++ids, seq: 0, sockets: new Set() };
      rooms.set(room.id, room);
      const members = [];
      join(creator, room, members);
      for (const m of Array.isArray(body.members) ? body.members : []) {
        join(String(m), room, members);
      }
      respond(res, 201, { id: room.id, kind: 'group', members, lastSeq: 0 });
      return;
    }
    case '/ws':
      // a plain GET on the WebSocket path, without the upgrade
      respond(res, 426, {});
      return;
    default:
      respond(res, 404, {});
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  readJson(req, (body) => {
    if (body === undefined || body === null || typeof body !== 'object') {
      respond(res, 400, {});
      return;
    }
    handle(req, res, url, body);
  });
});

// ------------------------------------------------------------------ WebSocket

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 16 });

server.on('upgrade', (req, socket, head) => {
  socket.on('error', () => socket.destroy());
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname !== '/ws') {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  const user = bearer(req) || url.searchParams.get('token');
  if (!user) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  // the user's rooms as of the upgrade, like BareNettyServer
  const mine = new Map((roomsOf.get(user) || []).map((r) => [r.id, r]));
  wss.handleUpgrade(req, socket, head, (ws) => open(ws, user, mine));
});

function open(ws, user, mine) {
  ws.send(JSON.stringify({
    type: 'hello',
    user: { id: user, username: user, displayName: user },
    node: 'node-ws',
    heartbeat: 25,
    expiresAt: Date.now() + 3_600_000,
  }));
  for (const room of mine.values()) {
    room.sockets.add(ws);
  }
  ws.on('close', () => {
    for (const room of mine.values()) {
      room.sockets.delete(ws);
    }
  });
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      return;
    }
    let frame;
    try {
      frame = JSON.parse(data.toString('utf8'));
    } catch (e) {
      ws.close(1007, 'malformed JSON frame');
      return;
    }
    if (frame === null || typeof frame !== 'object') {
      ws.close(1007, 'a frame must be a JSON object');
      return;
    }
    const id = typeof frame.id === 'string' ? frame.id : undefined;
    if (frame.type === 'send') {
      if (typeof frame.thread !== 'string' || typeof frame.body !== 'string') {
        ws.close(1007, 'send needs thread and body');
        return;
      }
      relay(ws, user, mine, id, frame);
    } else if (frame.type === 'ping') {
      ws.send(JSON.stringify({ type: 'pong', id }));
    }
  });
}

function relay(ws, user, mine, id, send) {
  const room = mine.get(send.thread);
  if (!room) {
    return;
  }
  const seq = ++room.seq;
  const ts = Date.now();
  const messageId = 'm' + ++ids;
  const clientId = typeof send.clientId === 'string' ? send.clientId : undefined;
  try {
    // one autocommit transaction, fsynced (synchronous = FULL) before the ack goes out
    insert.run(send.thread, seq, messageId, user, send.body, ts, clientId === undefined ? null : clientId);
  } catch (e) {
    console.error('insert failed: ' + e.message);
    ws.send(JSON.stringify({ type: 'error', id, code: 'internal', message: 'cannot store the message' }));
    return;
  }
  ws.send(JSON.stringify({ type: 'ack', id, thread: send.thread, seq, messageId, ts }));
  const encoded = JSON.stringify({
    type: 'message',
    id: messageId,
    thread: send.thread,
    seq,
    sender: user,
    body: send.body,
    ts,
    clientId,
    attachments: [],
  });
  for (const s of room.sockets) {
    if (s.readyState === WebSocket.OPEN) {
      s.send(encoded);
    }
  }
}

// ------------------------------------------------------------------ lifecycle

server.listen(port, () => {
  console.log(`node ws + SQLite baseline server on port ${server.address().port} (db ${path.resolve(dbFile)})`);
});

function shutdown() {
  for (const ws of wss.clients) {
    ws.terminate();
  }
  server.close();
  db.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

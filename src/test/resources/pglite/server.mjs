// Serves a PGlite database (PostgreSQL compiled to WebAssembly, with the pgvector
// extension) over the PostgreSQL wire protocol for the pgvector tests, when neither
// TEST_PGVECTOR_URL nor Docker is there (see PgVectorTestDatabase.java).
//
//   node server.mjs [--data-dir DIR] [--no-vector]
//
// Listens on a free loopback port and prints "PGLITE_READY <port> <version>" once
// clients may connect; stops on SIGTERM, SIGINT or when standard input closes (so a test
// JVM that dies leaves nothing behind). With --data-dir the database is kept in DIR.
//
// PGlite is one PostgreSQL session. Several client connections share it here: each
// connection's messages are run as one unit up to the message the client then waits on
// (Sync, Query, Flush), and while a connection is inside a transaction or an unfinished
// extended-query sequence, only its units run and the others wait. The socket server of
// @electric-sql/pglite-socket multiplexes message by message instead, so one
// connection's Parse can land between another's Parse and Bind; with the JDBC driver
// that fails as "bind message supplies 2 parameters, but prepared statement "" requires 0".
import net from 'node:net'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'

const args = process.argv.slice(2)
const dataDir = args.includes('--data-dir') ? args[args.indexOf('--data-dir') + 1] : undefined
const extensions = args.includes('--no-vector') ? {} : { vector }

const db = await PGlite.create(dataDir, { extensions })
const version = (await db.query('select version() as v')).rows[0].v

const SSL_REQUEST = 80877103
const GSS_REQUEST = 80877104
const CANCEL_REQUEST = 80877102
// Messages after which a client waits for the answer.
const UNIT_END = new Set(['S', 'Q', 'H', 'X'])

const queue = [] // { client, messages }
let owner = null // the client whose transaction or extended-query sequence is open
let running = false

function pump() {
  if (running || queue.length === 0) {
    return
  }
  const index = owner ? queue.findIndex((unit) => unit.client === owner) : 0
  if (index < 0) {
    return
  }
  const [unit] = queue.splice(index, 1)
  running = true
  run(unit)
    .catch((error) => {
      console.error('PGlite failed a unit:', error)
      unit.client.socket.destroy()
    })
    .finally(() => {
      running = false
      pump()
    })
}

async function run(unit) {
  const { client, messages } = unit
  let terminated = false
  await db.runExclusive(async () => {
    for (const message of messages) {
      if (message[0] === 0x58 /* X: Terminate */ && !client.startup) {
        terminated = true
        break
      }
      await db.execProtocolRawStream(message, {
        onRawData: (data) => {
          if (client.socket.writable) {
            client.socket.write(Buffer.from(data))
          }
        },
      })
      client.startup = false
    }
  })
  const last = messages[messages.length - 1]
  const openSequence = !terminated && last[0] === 0x48 /* H: Flush, Sync still to come */
  owner = db.isInTransaction() || openSequence ? client : null
  if (terminated) {
    await release(client)
    client.socket.end()
  }
}

async function release(client) {
  for (let i = queue.length - 1; i >= 0; i--) {
    if (queue[i].client === client) {
      queue.splice(i, 1)
    }
  }
  if (owner === client) {
    owner = null
    if (db.isInTransaction()) {
      await db.runExclusive(() => db.exec('rollback'))
    }
  }
  pump()
}

const server = net.createServer((socket) => {
  const client = { socket, buffer: Buffer.alloc(0), pending: [], startup: true, closed: false }
  socket.setNoDelay(true)
  socket.on('data', (data) => {
    client.buffer = Buffer.concat([client.buffer, data])
    while (true) {
      const buffer = client.buffer
      if (client.startup && client.pending.length === 0) {
        // Untyped start-up packets: length, then a code or the protocol version.
        if (buffer.length < 8) break
        const length = buffer.readInt32BE(0)
        const code = buffer.readInt32BE(4)
        if (length === 8 && (code === SSL_REQUEST || code === GSS_REQUEST)) {
          socket.write('N')
          client.buffer = buffer.subarray(8)
          continue
        }
        if (length === 16 && code === CANCEL_REQUEST) {
          socket.end()
          return
        }
        if (buffer.length < length) break
        client.buffer = buffer.subarray(length)
        queue.push({ client, messages: [new Uint8Array(buffer.subarray(0, length))] })
        client.pending = ['startup']
        pump()
        continue
      }
      if (buffer.length < 5) break
      const length = 1 + buffer.readInt32BE(1)
      if (buffer.length < length) break
      const message = new Uint8Array(buffer.subarray(0, length))
      client.buffer = buffer.subarray(length)
      if (client.pending[0] === 'startup') client.pending = []
      client.pending.push(message)
      if (UNIT_END.has(String.fromCharCode(message[0]))) {
        queue.push({ client, messages: client.pending })
        client.pending = []
        pump()
      }
    }
  })
  const closed = () => {
    if (!client.closed) {
      client.closed = true
      release(client)
    }
  }
  socket.on('close', closed)
  socket.on('error', closed)
})

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  server.close()
  try {
    await db.close()
  } finally {
    process.exit(0)
  }
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
console.log(`PGLITE_READY ${server.address().port} ${version}`)

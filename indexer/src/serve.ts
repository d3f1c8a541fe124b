// One port for explorers: the lineage page (web/) at / and the GraphQL server at /graphql.
import {createReadStream, statSync} from 'node:fs'
import {createServer, request} from 'node:http'
import {extname, join, normalize} from 'node:path'

const HOST = process.env.EXPLORER_HOST || '127.0.0.1'
const PORT = Number(process.env.EXPLORER_PORT || 4350)
const GRAPHQL_PORT = Number(process.env.GQL_PORT || 4351)
const WEB = join(__dirname, '..', 'web')
const TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
}

createServer((req, res) => {
    const url = new URL(req.url || '/', 'http://localhost')
    if (url.pathname === '/graphql') {
        const upstream = request(
            {host: '127.0.0.1', port: GRAPHQL_PORT, path: req.url, method: req.method, headers: req.headers},
            (answer) => {
                res.writeHead(answer.statusCode || 502, answer.headers)
                answer.pipe(res)
            },
        )
        upstream.on('error', () => {
            if (res.headersSent) res.destroy()
            else res.writeHead(502).end('the GraphQL server is not answering')
        })
        req.pipe(upstream)
        return
    }
    const path = normalize(join(WEB, url.pathname === '/' ? 'index.html' : url.pathname))
    if (!path.startsWith(WEB + '/') || !TYPES[extname(path)]) {
        res.writeHead(404).end('not found')
        return
    }
    try {
        statSync(path)
    } catch {
        res.writeHead(404).end('not found')
        return
    }
    res.writeHead(200, {'content-type': TYPES[extname(path)]})
    createReadStream(path)
        .on('error', () => res.destroy())
        .pipe(res)
}).listen(PORT, HOST, () => console.log(`explorer: http://${HOST}:${PORT}/`))

// Preloaded into the GraphQL server (`node -r lib/loopback.js`), which takes no host option:
// it listens on loopback only, behind the explorer's port (src/serve.ts), the one door.
import net from 'node:net'

const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    const port = args[0]
    if ((typeof port === 'number' || typeof port === 'string') && typeof args[1] !== 'string') {
        args.splice(1, 0, '127.0.0.1')
    }
    return listen.apply(this, args as Parameters<typeof listen>)
} as typeof listen

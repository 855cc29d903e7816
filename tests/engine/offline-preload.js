/**
 * Preload (`node --require tests/engine/offline-preload.js ...`) that makes the process
 * unable to reach anything but loopback: every outbound TCP/UDP connection and every DNS
 * query for a non-loopback target throws, synchronously and before any socket is opened,
 * an Error with code "EOFFLINE" whose message starts with "offline-preload:". Used to prove
 * that the policy pack makes no network calls. Unix-domain sockets and pipes are allowed.
 */
"use strict";
const net = require("net");
const dns = require("dns");
const dgram = require("dgram");

const LOOPBACK_NAMES = new Set(["localhost", "localhost.", "ip6-localhost", "ip6-loopback"]);

function isLoopback(host) {
    if (host === undefined || host === null || host === "") {
        return true; // Node's default host is localhost
    }
    const h = String(host).toLowerCase().replace(/^\[|\]$/g, "");
    if (LOOPBACK_NAMES.has(h) || h === "::1" || h === "0:0:0:0:0:0:0:1") {
        return true;
    }
    if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) {
        return true;
    }
    return false;
}

// When OFFLINE_PRELOAD_LOG names a file, every blocked attempt is also appended to it, so a
// test can see attempts that the code under test caught and swallowed.
const LOG = process.env.OFFLINE_PRELOAD_LOG;

function blocked(what, target) {
    const e = new Error(`offline-preload: blocked ${what} to ${target}`);
    e.code = "EOFFLINE";
    if (LOG) {
        try {
            require("fs").appendFileSync(LOG, `${e.message}\n`);
        } catch {
            // Logging is best effort; the attempt is blocked either way.
        }
    }
    return e;
}

/** Host and port (or path) a net.connect-style argument list names. */
function target(args) {
    let a = args;
    // Node normalizes to [options, cb] with a symbol marker; accept both shapes.
    if (Array.isArray(a[0])) {
        a = a[0];
    }
    const first = a[0];
    if (first !== null && typeof first === "object") {
        if (typeof first.path === "string" && first.path !== "") {
            return { local: true };
        }
        return { host: first.host, port: first.port };
    }
    if (typeof first === "string" && !/^\d+$/.test(first)) {
        return { local: true }; // a pipe or Unix socket path
    }
    return { host: typeof a[1] === "string" ? a[1] : undefined, port: first };
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
    const t = target(args);
    if (!t.local && !isLoopback(t.host)) {
        throw blocked("connection", `${t.host}:${t.port}`);
    }
    return originalConnect.apply(this, args);
};

for (const name of ["connect", "createConnection"]) {
    const original = net[name];
    net[name] = function (...args) {
        const t = target(args);
        if (!t.local && !isLoopback(t.host)) {
            throw blocked("connection", `${t.host}:${t.port}`);
        }
        return original.apply(this, args);
    };
}

function guardName(fnName, original, promise) {
    return function (hostname, ...rest) {
        if (!isLoopback(hostname)) {
            const e = blocked(`DNS ${fnName}`, String(hostname));
            if (promise) {
                return Promise.reject(e);
            }
            throw e;
        }
        return original.call(this, hostname, ...rest);
    };
}

const DNS_FUNCTIONS = ["lookup", "resolve", "resolve4", "resolve6", "resolveAny", "resolveCname", "resolveMx",
    "resolveNs", "resolveTxt", "resolveSrv", "resolvePtr", "resolveNaptr", "resolveSoa", "resolveCaa", "reverse"];
for (const mod of [dns, dns.promises]) {
    for (const fn of DNS_FUNCTIONS) {
        if (typeof mod[fn] === "function") {
            mod[fn] = guardName(fn, mod[fn], mod === dns.promises);
        }
    }
    for (const proto of [mod.Resolver && mod.Resolver.prototype]) {
        if (!proto) {
            continue;
        }
        for (const fn of DNS_FUNCTIONS) {
            if (typeof proto[fn] === "function") {
                proto[fn] = guardName(fn, proto[fn], mod === dns.promises);
            }
        }
    }
}
if (typeof dns.lookupService === "function") {
    dns.lookupService = guardName("lookupService", dns.lookupService);
}

const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function send(msg, ...rest) {
    // send(msg[, offset, length], port[, address][, callback]); the address is the first string after the port.
    const address = rest.find(x => typeof x === "string");
    const port = rest.find(x => typeof x === "number");
    if (port !== undefined && !isLoopback(address)) {
        throw blocked("UDP datagram", `${address}:${port}`);
    }
    return originalSend.call(this, msg, ...rest);
};
const originalUdpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function connect(port, address, ...rest) {
    if (!isLoopback(typeof address === "string" ? address : undefined)) {
        throw blocked("UDP connection", `${address}:${port}`);
    }
    return originalUdpConnect.call(this, port, address, ...rest);
};

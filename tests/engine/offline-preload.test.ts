/** The offline preload the engine-protocol suites run the pack under: it blocks every non-loopback connection and DNS query. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { PRELOAD } from "./protocol";

describe("offline preload", function () {
    this.timeout(60000);

    function runWithPreload(script: string) {
        const r = spawnSync(process.execPath, ["--require", PRELOAD, "-e", script], { encoding: "utf8", timeout: 30000 });
        assert.strictEqual(r.status, 0, r.stderr);
        return r.stdout.trim();
    }

    it("blocks a TCP connection to 10.255.255.1:443 synchronously, before any socket is opened", () => {
        // If the preload let the call through, connect() would return a socket (and the
        // connection would hang or fail later, asynchronously); it must throw instead.
        const out = runWithPreload(`
            const net = require("net");
            const results = [];
            for (const attempt of [
                () => net.connect(443, "10.255.255.1"),
                () => net.createConnection({ host: "10.255.255.1", port: 443 }),
                () => new net.Socket().connect({ host: "10.255.255.1", port: 443 }),
                () => require("tls").connect(443, "10.255.255.1"),
                () => require("https").get("https://10.255.255.1/"),
            ]) {
                try { attempt(); results.push("connected"); } catch (e) { results.push(e.code + " " + e.message); }
            }
            console.log(JSON.stringify(results));`);
        const results = JSON.parse(out) as string[];
        assert.strictEqual(results.length, 5);
        for (const r of results) {
            assert.strictEqual(r, "EOFFLINE offline-preload: blocked connection to 10.255.255.1:443");
        }
    });

    it("blocks DNS lookups of non-loopback names, callback and promise forms", () => {
        const out = runWithPreload(`
            const dns = require("dns");
            const results = [];
            try { dns.lookup("example.com", () => results.push("looked up")); } catch (e) { results.push(e.code); }
            try { dns.resolve4("example.com", () => results.push("resolved")); } catch (e) { results.push(e.code); }
            dns.promises.lookup("example.com").then(() => "looked up", e => e.code).then(r => {
                results.push(r);
                return fetch("http://example.com/").then(() => "fetched", e => (e.cause && e.cause.code) || e.message);
            }).then(r => { results.push(r); console.log(JSON.stringify(results)); });`);
        assert.deepStrictEqual(JSON.parse(out), ["EOFFLINE", "EOFFLINE", "EOFFLINE", "EOFFLINE"]);
    });

    it("lets loopback connections through", () => {
        const out = runWithPreload(`
            const net = require("net");
            const server = net.createServer(s => s.end("pong")).listen(0, "127.0.0.1", () => {
                const port = server.address().port;
                let got = [];
                const done = () => { if (got.length === 2) { console.log(got.sort().join(",")); server.close(); } };
                net.connect(port, "127.0.0.1").on("data", d => { got.push("127.0.0.1:" + d); done(); });
                net.connect({ port, host: "localhost", family: 4 }).on("data", d => { got.push("localhost:" + d); done(); });
            });`);
        assert.strictEqual(out, "127.0.0.1:pong,localhost:pong");
    });
});

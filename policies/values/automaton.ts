/**
 * An Aho–Corasick automaton over non-empty patterns (UTF-16 code units), read forwards or,
 * `backwards`, from the end: every question about a text is one pass over it, each step
 * amortised constant, however many patterns there are and however they overlap.
 */
export class Automaton {
    /** Transitions of the trie: node × 65536 + code unit → node. */
    private readonly next = new Map<number, number>();
    private readonly fail: number[] = [0];
    /** The pattern (index + 1) that ends at a node, or 0. */
    private readonly ends: number[] = [0];
    /** The nearest node other than itself that its failure links reach where a pattern ends, or 0. */
    private readonly dict: number[] = [0];
    /** The longest pattern (index + 1) that ends at a node or a node its failure links reach, or 0. */
    private readonly best: number[] = [0];
    /** When each node was last reported by `found` (a stamp per call). */
    private seen: Int32Array;
    private stamp = 0;

    constructor(patterns: readonly string[], backwards: boolean) {
        const char: number[] = [0];
        const children: number[][] = [[]];
        for (const [p, pattern] of patterns.entries()) {
            let node = 0;
            for (let i = 0; i < pattern.length; i++) {
                const c = pattern.charCodeAt(backwards ? pattern.length - 1 - i : i);
                let child = this.next.get(node * 65536 + c);
                if (child === undefined) {
                    child = char.length;
                    this.next.set(node * 65536 + c, child);
                    char.push(c);
                    children.push([]);
                    children[node].push(child);
                    this.fail.push(0);
                    this.ends.push(0);
                    this.dict.push(0);
                    this.best.push(0);
                }
                node = child;
            }
            this.ends[node] ||= p + 1;
        }
        // Breadth first: a node's failure link is shallower, so it is complete before the node.
        const order = [0];
        for (let q = 0; q < order.length; q++) {
            const node = order[q];
            for (const child of children[node]) {
                if (node !== 0) {
                    this.fail[child] = this.step(this.fail[node], char[child]);
                }
                const f = this.fail[child];
                this.dict[child] = this.ends[f] > 0 ? f : this.dict[f];
                this.best[child] = this.ends[child] || this.best[f];
                order.push(child);
            }
        }
        this.seen = new Int32Array(char.length);
    }

    private step(node: number, c: number): number {
        let s = node;
        for (;;) {
            const t = this.next.get(s * 65536 + c);
            if (t !== undefined) {
                return t;
            }
            if (s === 0) {
                return 0;
            }
            s = this.fail[s];
        }
    }

    /**
     * The patterns (their indexes, each once, in the order first found) that occur in `text`
     * (read forwards): O(|text| + patterns found). A pattern node once reported has had every
     * pattern that is a suffix of it reported too, so a walk down the links stops there.
     */
    found(text: string): number[] {
        if (++this.stamp === 0x7fffffff) {
            this.seen.fill(0);
            this.stamp = 1;
        }
        const out: number[] = [];
        for (let i = 0, s = 0; i < text.length; i++) {
            s = this.step(s, text.charCodeAt(i));
            for (let node = this.ends[s] > 0 ? s : this.dict[s]; node !== 0 && this.seen[node] !== this.stamp; node = this.dict[node]) {
                this.seen[node] = this.stamp;
                out.push(this.ends[node] - 1);
            }
        }
        return out;
    }

    /**
     * For each position of `text`, the longest pattern (index + 1) that starts there, or 0
     * (for an automaton built `backwards`: reading the text from its end, the patterns that end
     * at a step are those that start at that position).
     */
    longestStarting(text: string): Int32Array {
        const out = new Int32Array(text.length);
        for (let i = text.length - 1, s = 0; i >= 0; i--) {
            s = this.step(s, text.charCodeAt(i));
            out[i] = this.best[s];
        }
        return out;
    }
}

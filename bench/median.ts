/** The median of a list of figures (the upper middle one of an even count), as the benchmarks report them. */
export function median(xs: readonly number[]): number {
    return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

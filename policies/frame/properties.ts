/** Reading the plain properties of a rule on resource types (subject `types`, ./frame.ts) and judging one of them. */
import { unreadableNote } from "../values/wire";
import { Finding, note } from "./verdict";
import { classify, isOpaque, Obj, unreadable } from "../values/values";

/**
 * A property as a rule on resource types reads it: its value, `UNKNOWN` or `SEALED` (./values), or
 * undefined when it is not set. `null` and the empty string are not set either: a resource read
 * from AWS (Pulumi Insights) has "" for a string the resource does not have.
 */
export function prop(props: Obj, key: string): unknown {
    const v = classify("camel", Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined);
    return v === null || v === "" ? undefined : v;
}

/** Whether a property (as `prop` reads it) is set: a value not known yet or sealed is; an empty list is not. */
export function isSet(v: unknown): boolean {
    return v !== undefined && (isOpaque(v) || !Array.isArray(v) || v.length > 0);
}

/** What a property that must have one value means to the reader: the rule's wording of a finding. */
export interface Requirement {
    /** The property's name. */
    key: string;
    /** The value it must have (an API enum value: spelled exactly so). */
    value: string;
    /** What AWS does when the property is not set: its default value. */
    awsDefault: string;
    /** What it means when the property does not have the value, e.g. "the notebook instance has direct internet access". */
    effect: string;
    /** What cannot be checked when the property cannot be read, e.g. "internet access of the notebook instance". */
    subject: string;
    /** How to fix it: one or more sentences. */
    fix: string;
}

/**
 * The findings for a property that must have one value: none when it has, a note when it cannot
 * be read, else a violation that says whether it is not set (and AWS's default) or not the value.
 * The message never shows the value (it may be a secret).
 */
export function requireValue(name: string, props: Obj, r: Requirement): Finding[] {
    const v = prop(props, r.key);
    const why = unreadable(v);
    if (why) {
        return [note(unreadableNote(why, `${name}: ${r.key}`, `, so ${r.subject} cannot be checked.`))];
    }
    if (v === r.value) {
        return [];
    }
    const state = v === undefined ? `is not set, so ${r.effect} (AWS defaults to ${r.awsDefault})` : `is not ${r.value}, so ${r.effect}`;
    return [{ message: `${name}: ${r.key} ${state}. ${r.fix}` }];
}

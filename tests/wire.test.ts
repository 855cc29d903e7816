/** The wire contract round-trip: every string the pack writes for a reader is read back as written. */
import * as assert from "assert";
import fc from "fast-check";
import {
    diagnosticKind, exemptionReason, internalErrorNote, isRecordsStack, noteMessage, oneLine, parseExemptionReason, recordsStackRoot, unknownSettingNote,
    unreadableNote, violationMessage,
} from "../policies/values/wire";

const date = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2999-12-31T00:00:00Z"), noInvalidDate: true })
    .map(d => d.toISOString().slice(0, 10));

describe("wire contract (policies/values/wire.ts)", () => {
    it("an exemption's reason parses back to the exemption, for any pattern, reason and expiry", () => {
        fc.assert(fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1, maxLength: 200 }), fc.option(date, { nil: undefined }), (resource, reason, expires) => {
            const e = expires === undefined ? { resource, reason } : { resource, reason, expires };
            const text = exemptionReason(e);
            const parsed = parseExemptionReason(text);
            if (JSON.stringify(resource).length + reason.length > 900) {
                return; // shortened to one line of 1,000 characters: checked below
            }
            assert.deepStrictEqual(parsed, { ...e, reason: oneLine(reason) }, text);
        }), { numRuns: 2000 });
    });

    it("a reason shortened to 1,000 characters still names its exemption", () => {
        const e = { resource: "legacy-*", reason: "x".repeat(5000), expires: "2027-03-31" };
        const parsed = parseExemptionReason(exemptionReason(e));
        assert.deepStrictEqual([parsed?.resource, parsed?.expires, parsed?.reason.endsWith("x...")], ["legacy-*", "2027-03-31", true]);
    });

    it("no other not-applicable reason of the pack parses as an exemption", () => {
        for (const reason of ["Declares no SageMaker models", "Exempted", "Exempted by legacy: r", 'Exempted by "unterminated: r',
            'Exempted until 2027-01-01 by "a"', 'Exempted until soon by "a": r', "Not a resource that declares SageMaker models or jobs"]) {
            assert.strictEqual(parseExemptionReason(reason), undefined, reason);
        }
    });

    it("notes and violations are told apart, whatever the text", () => {
        fc.assert(fc.property(fc.string(), text => {
            assert.strictEqual(diagnosticKind(noteMessage(true, text)), "preview-note");
            assert.strictEqual(diagnosticKind(noteMessage(false, text)), "note");
            assert.strictEqual(diagnosticKind(unreadableNote("preview", text, ".")), "preview-note");
            assert.strictEqual(diagnosticKind(unreadableNote("sealed", text, ".")), "note");
            assert.strictEqual(diagnosticKind(violationMessage(text)), "violation");
            assert.strictEqual(diagnosticKind(unknownSettingNote("p", text, "")), "configuration");
        }));
        assert.strictEqual(diagnosticKind(internalErrorNote(new TypeError("x"))), "note");
        // A resource named like a note does not make its violation one.
        assert.strictEqual(diagnosticKind(violationMessage("Cannot check: enableNetworkIsolation is not set")), "violation");
    });
});

describe("wire contract: stacks of AWS records", () => {
    it("the root resource the check command sends marks the stack; no other resource does", () => {
        const root = recordsStackRoot("111122223333-us-east-1");
        assert.strictEqual(isRecordsStack([root]), true);
        // A program's root stack (its project named), whatever it exports, and any other resource: never.
        assert.strictEqual(isRecordsStack([{ ...root, urn: "urn:pulumi:dev::ml::pulumi:pulumi:Stack::sagemaker-isolation-check-records" },
            { type: "aws:sagemaker/model:Model", urn: root.urn }]), false);
    });
});

/** The stack read once by type (policies/network/stack): buckets, and the judged resources in stack order. */
import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { StackIndex } from "../../policies/network/stack";

const r = (type: string, name: string) => ({ type, name, urn: `urn:pulumi:dev::p::${type}::${name}`, props: {} }) as unknown as PolicyResource;

describe("network stack index", () => {
    const MODEL = "aws:sagemaker/model:Model";
    const NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance";
    const VPC = "aws:ec2/vpc:Vpc";
    const SUBNET = "aws:ec2/subnet:Subnet";
    const resources = [r(VPC, "v1"), r(MODEL, "m1"), r(SUBNET, "s1"), r(NOTEBOOK, "n1"), r(MODEL, "m2"), r(VPC, "v2"), r("aws:s3/bucket:Bucket", "b")];
    const stack = new StackIndex(resources, t => t === MODEL || t === NOTEBOOK);

    it("lists the judged resources in stack order, across their types", () => {
        assert.deepStrictEqual(stack.judged.map(x => x.name), ["m1", "n1", "m2"]);
    });

    it("gives a type's resources in stack order, several types type by type, each type once", () => {
        assert.deepStrictEqual(stack.ofType(VPC).map(x => x.name), ["v1", "v2"]);
        assert.deepStrictEqual(stack.ofType("aws:ec2/routeTable:RouteTable"), []);
        assert.deepStrictEqual(stack.of([SUBNET, VPC, SUBNET]).map(x => x.name), ["s1", "v1", "v2"]);
        // A copy: what a caller does with it leaves the index as it was.
        stack.of([VPC]).pop();
        assert.strictEqual(stack.ofType(VPC).length, 2);
    });

    it("reads a stack of 300,000 resources of one type without spreading them", () => {
        const many = Array.from({ length: 300000 }, (_, i) => r(SUBNET, `s${i}`));
        const big = new StackIndex(many, () => false);
        assert.strictEqual(big.of([SUBNET, VPC]).length, 300000);
        assert.strictEqual(big.judged.length, 0);
    });
});

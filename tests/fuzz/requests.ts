/** Structurally valid SageMaker request shapes for the property-based tests, in any dialect. */
import fc from "fast-check";
import { camel, imageUri, s3Uri, sentinel, sourceName, subnetId } from "./values";

// ---------------------------------------------------------------------------------------
// Structurally valid SageMaker request shapes, in any dialect

export type Dialect = "camel" | "pipeline" | "asl";

function keyOf(d: Dialect, k: string): string {
    return d === "camel" ? camel(k) : k;
}

/** A value a pipeline or state machine computes at run time, in dialect `d`. */
export function dynamicOf(d: Dialect): fc.Arbitrary<unknown> {
    if (d === "pipeline") {
        return fc.constantFrom<unknown>({ Get: "Parameters.Iso" }, { "Std:Join": { On: "", Values: ["a"] } }, { Get: 3 });
    }
    if (d === "asl") {
        return fc.constantFrom<unknown>("{% $states.input.iso %}", "{%  %}  ");
    }
    return sentinel;
}

export function flag(d: Dialect): fc.Arbitrary<unknown> {
    return fc.oneof(
        { weight: 6, arbitrary: fc.constant(true) },
        { weight: 3, arbitrary: fc.constantFrom<unknown>(false, "true", "false", "TRUE", 1, null, "yes") },
        { weight: 2, arbitrary: dynamicOf(d) },
        { weight: 1, arbitrary: sentinel },
    );
}

export type Rec = Record<string, unknown>;

/** Builds an object in dialect `d` from PascalCase members, dropping undefined ones; ASL may use `Key.$`. */
export function obj(d: Dialect, members: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Rec> {
    const entries = Object.entries(members);
    return fc.tuple(...entries.map(([, a]) => fc.option(a, { nil: undefined, freq: 4 })),
        fc.array(fc.boolean(), { minLength: entries.length, maxLength: entries.length })).map(values => {
        const pathFlags = values[entries.length] as boolean[];
        const out: Rec = {};
        entries.forEach(([k, ], i) => {
            const v = values[i];
            if (v === undefined) {
                return;
            }
            if (d === "asl" && pathFlags[i] && typeof v !== "object") {
                out[k + ".$"] = "$.input." + k;
            } else {
                out[keyOf(d, k)] = v;
            }
        });
        return out;
    });
}

export function vpcConfig(d: Dialect) {
    return obj(d, {
        Subnets: fc.oneof({ weight: 5, arbitrary: fc.array(fc.oneof(subnetId, dynamicOf(d), sentinel), { maxLength: 3 }) },
            { weight: 1, arbitrary: dynamicOf(d) }, { weight: 1, arbitrary: sentinel }),
        SecurityGroupIds: fc.constant(["sg-1"]),
    });
}

function env(d: Dialect, varName: string) {
    return fc.dictionary(fc.constantFrom(varName, "OTHER", varName.toLowerCase()), fc.oneof(s3Uri, dynamicOf(d)), { maxKeys: 2 })
        .map(m => m as unknown);
}

function container(d: Dialect) {
    return obj(d, {
        Image: fc.oneof(imageUri, dynamicOf(d)),
        ModelPackageName: fc.oneof(sourceName, dynamicOf(d)),
        Environment: env(d, "SAGEMAKER_SUBMIT_DIRECTORY"),
    });
}

export function modelRequest(d: Dialect) {
    return obj(d, {
        PrimaryContainer: container(d),
        Containers: fc.array(container(d), { maxLength: 3 }),
        EnableNetworkIsolation: flag(d),
        VpcConfig: vpcConfig(d),
        ExecutionRoleArn: fc.constant("arn:aws:iam::123456789012:role/r"),
    });
}

function trainingDefinition(d: Dialect, hyperKey: string) {
    return obj(d, {
        AlgorithmSpecification: obj(d, {
            TrainingImage: fc.oneof(imageUri, dynamicOf(d)),
            AlgorithmName: fc.oneof(sourceName, dynamicOf(d)),
            TrainingInputMode: fc.constant("File"),
        }),
        [hyperKey]: env(d, "sagemaker_submit_directory"),
        Environment: env(d, "SAGEMAKER_SUBMIT_DIRECTORY"),
        EnableNetworkIsolation: flag(d),
        EnableInterContainerTrafficEncryption: flag(d),
        ResourceConfig: obj(d, {
            InstanceCount: fc.constantFrom<unknown>(1, 2, "1", 0),
            InstanceGroups: fc.constantFrom<unknown>([], [{ InstanceCount: 1 }], null),
        }),
        VpcConfig: vpcConfig(d),
    });
}

export function trainingRequest(d: Dialect) {
    return fc.tuple(trainingDefinition(d, "HyperParameters"), fc.option(obj(d, { EnableRemoteDebug: flag(d) }), { freq: 2 }))
        .map(([t, debug]) => debug === null ? t : { ...t, [keyOf(d, "RemoteDebugConfig")]: debug });
}

export function tuningRequest(d: Dialect) {
    return obj(d, {
        TrainingJobDefinition: trainingDefinition(d, "StaticHyperParameters"),
        TrainingJobDefinitions: fc.oneof(fc.array(trainingDefinition(d, "StaticHyperParameters"), { maxLength: 3 }), dynamicOf(d)),
        HyperParameterTuningJobConfig: fc.constant({ Strategy: "Bayesian" }),
    });
}

function networkConfig(d: Dialect) {
    return obj(d, { EnableNetworkIsolation: flag(d), EnableInterContainerTrafficEncryption: flag(d), VpcConfig: vpcConfig(d) });
}

export function processingRequest(d: Dialect, appKey = "AppSpecification") {
    return obj(d, {
        [appKey]: obj(d, { ImageUri: fc.oneof(imageUri, dynamicOf(d)), Environment: env(d, "SAGEMAKER_SUBMIT_DIRECTORY") }),
        Environment: env(d, "SAGEMAKER_SUBMIT_DIRECTORY"),
        NetworkConfig: fc.oneof(networkConfig(d), dynamicOf(d)),
    });
}

export function monitoringScheduleRequest(d: Dialect) {
    return obj(d, {
        MonitoringScheduleConfig: obj(d, {
            MonitoringJobDefinition: fc.oneof(processingRequest(d, "MonitoringAppSpecification"), dynamicOf(d)),
            MonitoringJobDefinitionName: fc.constant("def"),
        }),
    });
}

/** Production and shadow variants of an endpoint configuration: with or without a model (inference components), SSM access. */
function variants() {
    return fc.array(obj("camel", {
        VariantName: fc.constantFrom("a", "b"),
        ModelName: fc.constantFrom<unknown>("m", "", null, undefined),
        EnableSsmAccess: flag("camel"),
    }), { maxLength: 3 });
}

export function endpointConfigProps() {
    return obj("camel", {
        ProductionVariants: fc.oneof(variants(), sentinel),
        ShadowProductionVariants: variants(),
        EnableNetworkIsolation: flag("camel"),
        ExecutionRoleArn: fc.constant("arn:aws:iam::123456789012:role/r"),
    });
}

export function spaceProps() {
    return obj("camel", {
        SpaceSettings: obj("camel", { RemoteAccess: fc.constantFrom<unknown>("ENABLED", "DISABLED", "enabled", "", 1), AppType: fc.constant("JupyterLab") }),
        DomainId: fc.constant("d-1"),
    });
}

export function clusterProps() {
    const group = obj("camel", { InstanceGroupName: fc.constant("g"), OverrideVpcConfig: vpcConfig("camel") });
    return obj("camel", {
        VpcConfig: vpcConfig("camel"),
        InstanceGroups: fc.array(group, { maxLength: 2 }),
        RestrictedInstanceGroups: fc.array(group, { maxLength: 2 }),
    });
}

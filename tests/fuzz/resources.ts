/** Resources and stacks for the property-based tests: structurally valid property bags of every type the pack reads, or garbage. */
import fc from "fast-check";
import { secretEnvelope, UNKNOWN_SENTINEL, UNKNOWN_SENTINELS } from "../../policies/values/sentinels";
import { WORKLOAD_TYPES } from "../../policies/workloads";
import { documentText, pipelineDocument, stateMachineDocument } from "./documents";
import {
    clusterProps, endpointConfigProps, monitoringScheduleRequest, modelRequest, processingRequest, Rec, spaceProps, trainingRequest, tuningRequest,
} from "./requests";
import { KEYS, plainJson, scalar, secretValue, sentinel, sprinkle, subnetId, token } from "./values";

// ---------------------------------------------------------------------------------------
// Resources

export const VPC_TYPES = ["aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc", "aws-native:ec2:Vpc"];
export const SUBNET_TYPES = ["aws:ec2/subnet:Subnet", "aws:ec2/defaultSubnet:DefaultSubnet", "aws-native:ec2:Subnet"];
export const ENDPOINT_TYPES = ["aws:ec2/vpcEndpoint:VpcEndpoint", "aws-native:ec2:VpcEndpoint"];
export const ROUTE_TYPES = ["aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable", "aws-native:ec2:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation", "aws-native:ec2:SubnetRouteTableAssociation",
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation", "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
    "aws:vpc/endpointPrivateDns:EndpointPrivateDns"];
export const NOTEBOOK_TYPES = ["aws:sagemaker/notebookInstance:NotebookInstance", "aws-native:sagemaker:NotebookInstance"];
export const DOMAIN_TYPES = ["aws:sagemaker/domain:Domain", "aws-native:sagemaker:Domain"];
/** The types some resource policy judges: SageMaker workloads, notebook instances, Studio domains. */
export const JUDGED_TYPES = [...WORKLOAD_TYPES, ...NOTEBOOK_TYPES, ...DOMAIN_TYPES];
export const NAT_TYPES = ["aws:ec2/natGateway:NatGateway", "aws-native:ec2:NatGateway", "aws:ec2/route:Route", "aws-native:ec2:Route"];
export const OTHER_TYPES = ["aws:s3/bucket:Bucket", "aws:iam/role:Role", "pulumi:pulumi:Stack", "pulumi:pulumi:StackReference", "aws:sagemaker/endpoint:Endpoint",
    "aws-native:sagemaker:Endpoint", "", "not-a-type"];
export const ALL_TYPES = [...JUDGED_TYPES, ...VPC_TYPES, ...SUBNET_TYPES, ...ENDPOINT_TYPES, ...ROUTE_TYPES, ...NAT_TYPES, ...OTHER_TYPES];

/** The names an endpoint or endpoint configuration is known by (`base`, or not known yet), under each provider's key. */
const names = (base: string) => fc.record({ name: fc.constantFrom<unknown>(base, UNKNOWN_SENTINEL), endpointName: fc.constantFrom<unknown>(base, UNKNOWN_SENTINEL),
    endpointConfigName: fc.constantFrom<unknown>(base, UNKNOWN_SENTINEL), arn: fc.constant(`arn:${base}`) }, { requiredKeys: [] });
const routeTableId = fc.constantFrom("rtb-1", "rtb-2", "rtb-main", UNKNOWN_SENTINEL);
const natGatewayId = fc.constantFrom<unknown>("nat-1", "nat-2", "nat-ext", "", null, UNKNOWN_SENTINEL);
const cidrBlock = fc.constantFrom<unknown>("0.0.0.0/0", "10.1.0.0/16", "::/0", UNKNOWN_SENTINEL);

/**
 * An enum property: its values, AWS's other spellings and garbage, not known yet, the undecryptable
 * `"[secret]"`, or a secret (of a valid value, or a token).
 */
function enumValue(...values: string[]): fc.Arbitrary<unknown> {
    return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom<unknown>(...values, ...values.map(v => v.toLowerCase()), "", null, 1, [values[0]]) },
        { weight: 1, arbitrary: sentinel },
        { weight: 1, arbitrary: fc.constant("[secret]") },
        { weight: 1, arbitrary: fc.constantFrom(...values).map(secretEnvelope) },
        { weight: 1, arbitrary: secretValue },
    );
}

const securityGroupIds = fc.oneof(fc.array(fc.constantFrom<unknown>("sg-1", "sg-2", UNKNOWN_SENTINEL), { maxLength: 2 }), sentinel, fc.constant("[secret]"));
const notebookSubnet = fc.oneof(subnetId, fc.constantFrom<unknown>("", null, "[secret]"), sentinel, token.map(t => secretEnvelope(`subnet-${t}`)));

/** Structurally valid properties of a resource of `type` (before sprinkling). */
export function validProps(type: string): fc.Arbitrary<Rec> {
    const wrap = (k: string) => (a: fc.Arbitrary<unknown>) => a.map(v => ({ [k]: v }));
    switch (type) {
        case "aws:sagemaker/model:Model":
        case "aws-native:sagemaker:Model":
            return modelRequest("camel");
        case "aws:sagemaker/trainingJob:TrainingJob":
            return trainingRequest("camel");
        case "aws:sagemaker/hyperParameterTuningJob:HyperParameterTuningJob":
            return tuningRequest("camel");
        case "aws-native:sagemaker:ProcessingJob":
            return processingRequest("camel");
        case "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition":
        case "aws-native:sagemaker:DataQualityJobDefinition":
            return processingRequest("camel", "DataQualityAppSpecification");
        case "aws-native:sagemaker:ModelQualityJobDefinition":
            return processingRequest("camel", "ModelQualityAppSpecification");
        case "aws-native:sagemaker:ModelBiasJobDefinition":
            return processingRequest("camel", "ModelBiasAppSpecification");
        case "aws-native:sagemaker:ModelExplainabilityJobDefinition":
            return processingRequest("camel", "ModelExplainabilityAppSpecification");
        case "aws:sagemaker/monitoringSchedule:MonitoringSchedule":
        case "aws-native:sagemaker:MonitoringSchedule":
            return monitoringScheduleRequest("camel");
        case "aws:sagemaker/endpointConfiguration:EndpointConfiguration":
        case "aws-native:sagemaker:EndpointConfig":
            return fc.tuple(endpointConfigProps(), names("cfg")).map(([p, n]) => ({ ...p, ...n }));
        case "aws:sagemaker/endpoint:Endpoint":
        case "aws-native:sagemaker:Endpoint":
            return fc.tuple(names("ep"), fc.record({ endpointConfigName: fc.constantFrom<unknown>("cfg", "cfg-ext", UNKNOWN_SENTINEL, "[secret]") },
                { requiredKeys: [] })).map(([n, c]) => ({ ...n, ...c }));
        case "aws-native:sagemaker:Space":
            return spaceProps();
        case "aws-native:sagemaker:Cluster":
            return clusterProps();
        case "aws-native:sagemaker:InferenceComponent":
            return fc.record({ endpointName: fc.constantFrom<unknown>("ep", "ep-ext", UNKNOWN_SENTINEL, "[secret]"), endpointArn: fc.constantFrom("arn:ep", UNKNOWN_SENTINEL),
                specification: fc.constant({ container: { image: "x" } }) }, { requiredKeys: ["endpointName", "specification"] });
        case "aws:sagemaker/pipeline:Pipeline":
            return wrap("pipelineDefinition")(fc.oneof(
                { weight: 4, arbitrary: documentText(pipelineDocument()) },
                { weight: 1, arbitrary: pipelineDocument() },
                { weight: 1, arbitrary: secretDocument(pipelineDocument()) }));
        case "aws-native:sagemaker:Pipeline":
            return wrap("pipelineDefinition")(fc.oneof(
                { weight: 4, arbitrary: documentText(pipelineDocument()).map(t => ({ pipelineDefinitionBody: t })) },
                { weight: 1, arbitrary: secretDocument(pipelineDocument()).map(t => ({ pipelineDefinitionBody: t })) },
                { weight: 1, arbitrary: fc.constant({ pipelineDefinitionS3Location: { bucket: "b", key: "k" } }) }));
        case "aws:sfn/stateMachine:StateMachine":
            return wrap("definition")(fc.oneof(
                { weight: 4, arbitrary: documentText(stateMachineDocument()) },
                { weight: 1, arbitrary: secretDocument(stateMachineDocument()) }));
        case "aws-native:stepfunctions:StateMachine":
            return fc.tuple(fc.oneof(documentText(stateMachineDocument()), stateMachineDocument(), secretDocument(stateMachineDocument())),
                fc.boolean(), substitutions).map(([def, asString, subs]) => ({
                [asString && typeof def === "string" ? "definitionString" : "definition"]: typeof def === "string" && !asString ? safeParse(def) : def,
                definitionSubstitutions: subs,
            }));
        case "aws:sagemaker/notebookInstance:NotebookInstance":
        case "aws-native:sagemaker:NotebookInstance":
            return fc.record({
                directInternetAccess: enumValue("Disabled", "Enabled"),
                subnetId: notebookSubnet,
                [type.startsWith("aws-native:") ? "securityGroupIds" : "securityGroups"]: securityGroupIds,
                instanceType: fc.constant("ml.t3.medium"),
                roleArn: fc.constant("arn:aws:iam::123456789012:role/r"),
            }, { requiredKeys: [] });
        case "aws:sagemaker/domain:Domain":
        case "aws-native:sagemaker:Domain":
            return fc.record({
                appNetworkAccessType: enumValue("VpcOnly", "PublicInternetOnly"),
                vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL),
                subnetIds: fc.oneof(fc.array(notebookSubnet, { maxLength: 2 }), sentinel),
                domainSettings: fc.record({ ipAddressType: enumValue("DUALSTACK", "IPV4") }, { requiredKeys: [] }),
                domainName: fc.constant("studio"),
                authMode: fc.constantFrom("IAM", "SSO"),
            }, { requiredKeys: [] });
        case "aws:ec2/vpc:Vpc":
        case "aws:ec2/defaultVpc:DefaultVpc":
            return fc.record({ id: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL), cidrBlock: fc.constant("10.0.0.0/16"),
                mainRouteTableId: routeTableId, region: fc.constantFrom("eu-west-1", "nowhere", UNKNOWN_SENTINEL) }, { requiredKeys: ["id"] });
        case "aws-native:ec2:Vpc":
            return fc.record({ vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL), id: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL) }, { requiredKeys: [] });
        case "aws:ec2/subnet:Subnet":
        case "aws:ec2/defaultSubnet:DefaultSubnet":
            return fc.record({ id: subnetId, vpcId: fc.constantFrom("vpc-1", "vpc-2", "vpc-9", UNKNOWN_SENTINEL), availabilityZone: fc.constantFrom("us-east-1a", "x", UNKNOWN_SENTINEL) });
        case "aws-native:ec2:Subnet":
            return fc.record({ subnetId, id: subnetId, vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL) }, { requiredKeys: [] });
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
        case "aws-native:ec2:VpcEndpoint":
            return fc.record({
                vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL),
                serviceName: fc.constantFrom("com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.sagemaker.api", "cn.com.amazonaws.cn-north-1.s3", "s3",
                    "aws.sagemaker.us-east-1.notebook", "aws.sagemaker.", UNKNOWN_SENTINEL),
                vpcEndpointType: fc.constantFrom("Gateway", "Interface", "GatewayLoadBalancer", UNKNOWN_SENTINEL),
                id: fc.constantFrom("vpce-1", "vpce-2", UNKNOWN_SENTINEL),
                routeTableIds: fc.oneof(fc.array(routeTableId, { maxLength: 3 }), sentinel),
                privateDnsEnabled: fc.constantFrom<unknown>(true, false, UNKNOWN_SENTINELS[0]),
                dnsOptions: fc.oneof(sentinel, fc.record({
                    privateDnsOnlyForInboundResolverEndpoint: fc.constantFrom<unknown>(true, false, "OnlyInboundResolver", "AllResolvers", "NotSpecified", UNKNOWN_SENTINELS[0]),
                }, { requiredKeys: [] })),
            }, { requiredKeys: ["vpcId", "serviceName"] });
        case "aws:ec2/routeTable:RouteTable":
        case "aws:ec2/defaultRouteTable:DefaultRouteTable":
        case "aws-native:ec2:RouteTable":
            return fc.record({
                id: routeTableId, routeTableId, defaultRouteTableId: routeTableId, vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL),
                routes: fc.oneof(sentinel, fc.array(fc.record({ cidrBlock, natGatewayId, gatewayId: fc.constantFrom("igw-1", UNKNOWN_SENTINEL),
                    ipv6CidrBlock: cidrBlock, egressOnlyGatewayId: natGatewayId }, { requiredKeys: [] }), { maxLength: 3 })),
            }, { requiredKeys: [] });
        case "aws:ec2/natGateway:NatGateway":
        case "aws-native:ec2:NatGateway":
            return fc.record({ id: natGatewayId, natGatewayId, subnetId, connectivityType: fc.constantFrom<unknown>("public", "private", UNKNOWN_SENTINEL) }, { requiredKeys: [] });
        case "aws:ec2/route:Route":
        case "aws-native:ec2:Route":
            return fc.record({ routeTableId, destinationCidrBlock: cidrBlock, natGatewayId, gatewayId: fc.constant("igw-1"),
                destinationIpv6CidrBlock: cidrBlock, egressOnlyGatewayId: natGatewayId }, { requiredKeys: [] });
        case "aws:ec2/routeTableAssociation:RouteTableAssociation":
        case "aws-native:ec2:SubnetRouteTableAssociation":
            return fc.record({ subnetId, routeTableId, gatewayId: fc.constant("igw-1") }, { requiredKeys: [] });
        case "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation":
            return fc.record({ vpcId: fc.constantFrom("vpc-1", "vpc-2", UNKNOWN_SENTINEL), routeTableId });
        case "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation":
            return fc.record({ vpcEndpointId: fc.constantFrom("vpce-1", "vpce-2", UNKNOWN_SENTINEL), routeTableId });
        case "aws:vpc/endpointPrivateDns:EndpointPrivateDns":
            return fc.record({ vpcEndpointId: fc.constantFrom("vpce-1", "vpce-2", UNKNOWN_SENTINEL), privateDnsEnabled: fc.constantFrom<unknown>(true, false, UNKNOWN_SENTINELS[0]) });
        default:
            return fc.dictionary(fc.constantFrom("bucket", "name", "arn", "tags", "assumeRolePolicy"), scalar, { maxKeys: 3 });
    }
}

function safeParse(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Definition substitutions, some of them secret (a secret substitution may land anywhere in the text). */
export const substitutions: fc.Arbitrary<unknown> = fc.oneof(
    fc.constant(undefined),
    fc.dictionary(fc.constantFrom("Name", "Iso", "Partition", "AWS::Partition"),
        fc.oneof(fc.constantFrom<unknown>("true", "false", "aws", "Train", 1, true, null, "a\"b", "\"q\"", "${Iso}", "{\"EnableNetworkIsolation\": false}"),
            sentinel, secretValue), { maxKeys: 3 }),
    sentinel,
);

/** A whole document marked secret: its text carries tokens in values (never in names). */
function secretDocument(doc: fc.Arbitrary<Rec>): fc.Arbitrary<Rec> {
    return fc.tuple(doc, token).map(([d, t]) => secretEnvelope(JSON.stringify({ ...d, Comment: t })));
}

export interface GenResource {
    type: string;
    name: string;
    props: Rec;
}

/** One resource: structurally valid (sprinkled with unknowns, secrets, garbage) or arbitrary JSON, of any type. */
export const resource: fc.Arbitrary<GenResource> = fc.tuple(
    fc.constantFrom(...ALL_TYPES),
    fc.oneof(fc.constantFrom("r", "model-1", "a.b", "x".repeat(300)), fc.string({ maxLength: 12 })),
    fc.constantFrom("valid", "valid", "sprinkled", "sprinkled", "sprinkled", "garbage"),
).chain(([type, name, how]) => {
    const props: fc.Arbitrary<unknown> = how === "valid" ? validProps(type)
        : how === "sprinkled" ? sprinkle(validProps(type))
        : fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(plainJson, secretValue, sentinel), { maxKeys: 6 });
    return props.map(p => ({ type, name, props: (typeof p === "object" && p !== null && !Array.isArray(p) ? p : { value: p }) as Rec }));
});

export interface GenStackResource extends GenResource {
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

/** A small stack: VPCs, subnets, endpoints and workloads that refer to each other (or not). */
export const stack: fc.Arbitrary<GenStackResource[]> = fc.array(resource, { maxLength: 8 }).chain(rs => {
    const names = rs.map((r, i) => `${i}-${r.name}`);
    const pick = fc.array(fc.oneof(fc.constantFrom(...(names.length ? names : ["none"])), fc.constant("urn:pulumi:x::y::z::gone")), { maxLength: 3 });
    return fc.tuple(...rs.map(() => fc.tuple(pick, fc.dictionary(fc.constantFrom("vpcId", "vpcConfig", "networkConfig", "pipelineDefinition",
        "definition", "definitionString", "primaryContainer", "subnetId", "routeTableId", "routeTableIds", "vpcEndpointId", "defaultRouteTableId",
        "natGatewayId", "routes", "destinationCidrBlock", "subnetIds", "connectivityType", "gatewayId", "egressOnlyGatewayId", "directInternetAccess",
        "endpointName", "endpointConfigName",
        "constructor", "__proto__", "toString"), pick, { maxKeys: 3 }))))
        .map(deps => rs.map((r, i) => ({ ...r, name: names[i], dependencies: deps[i][0], propertyDependencies: deps[i][1] })));
});

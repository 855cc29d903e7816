/**
 * The services AWS offers VPC endpoints for, by the short name the VPC endpoints policy's
 * settings use: the part of the endpoint service name after `com.amazonaws.<region>.` (and
 * `notebook`, `studio` for SageMaker's `aws.sagemaker.<region>.notebook|studio`).
 *
 * Source: AWS PrivateLink Guide, "AWS services that integrate with AWS PrivateLink"
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html),
 * and the SageMaker Developer Guide's pages on notebook and Studio interface endpoints. A name
 * missing here makes a configuration fail (the settings' schema lists these), so the list errs on
 * the side of AWS's whole table: add a service AWS adds, with no other change.
 */
export const ENDPOINT_SERVICES: readonly string[] = [
    "access-analyzer", "acm-pca", "airflow.api", "airflow.env", "airflow.ops", "apigateway", "app-integrations", "appconfig",
    "appconfigdata", "application-autoscaling", "applicationinsights", "appmesh-envoy-management", "apprunner", "apprunner.requests",
    "appstream.api", "appstream.streaming", "appsync-api", "aps", "aps-workspaces", "athena", "auditmanager", "autoscaling",
    "autoscaling-plans", "backup", "backup-gateway", "batch", "bedrock", "bedrock-agent", "bedrock-agent-runtime", "bedrock-runtime",
    "billingconductor", "braket", "cassandra", "cassandra-fips", "cloudcontrolapi", "cloudcontrolapi-fips", "cloudformation",
    "cloudhsmv2", "cloudtrail", "codeartifact.api", "codeartifact.repositories", "codebuild", "codebuild-fips", "codecommit",
    "codecommit-fips", "codedeploy", "codedeploy-commands-secure", "codeguru-profiler", "codeguru-reviewer", "codepipeline",
    "codestar-connections.api", "codewhisperer", "comprehend", "comprehendmedical", "config", "databrew", "dataexchange",
    "datasync", "datazone", "dms", "dms-fips", "ds", "dynamodb", "ebs", "ec2", "ec2messages", "ecr.api", "ecr.dkr", "ecs",
    "ecs-agent", "ecs-telemetry", "eks", "eks-auth", "elasticbeanstalk", "elasticbeanstalk-health", "elasticfilesystem",
    "elasticfilesystem-fips", "elasticloadbalancing", "elasticmapreduce", "email-smtp", "emr-containers", "emr-serverless", "es",
    "events", "execute-api", "firehose", "fis", "forecast", "forecastquery", "frauddetector", "fsx", "fsx-fips", "git-codecommit",
    "git-codecommit-fips", "glue", "grafana", "grafana-workspace", "greengrass", "groundstation", "guardduty-data", "healthlake",
    "iam", "identitystore", "imagebuilder", "inspector2", "iot.credentials", "iot.data", "iot.fleethub.api", "iotsitewise.api",
    "iotsitewise.data", "kendra", "kinesis-firehose", "kinesis-streams", "kms", "kms-fips", "lakeformation", "lambda", "logs",
    "lookoutequipment", "lookoutmetrics", "lookoutvision", "macie2", "managedblockchain", "memory-db", "monitoring", "mq",
    "network-firewall", "notebook", "oam", "omics.analytics", "omics.control-storage", "omics.storage", "omics.tags",
    "omics.workflows", "organizations", "panorama", "personalize", "personalize-runtime", "pinpoint", "pipes", "polly",
    "private-networks", "profile", "q", "qldb.session", "quicksight-website", "rbin", "rds", "rds-data", "redshift", "redshift-data",
    "redshift-serverless", "rekognition", "rekognition-fips", "resource-groups", "robomaker", "rolesanywhere", "rum",
    "rum-dataplane", "s3", "s3-outposts", "s3express", "sagemaker.api", "sagemaker.api-fips", "sagemaker.featurestore-runtime",
    "sagemaker.metrics", "sagemaker.runtime", "sagemaker.runtime-fips", "scheduler", "schemas", "secretsmanager", "securityhub",
    "servicecatalog", "servicecatalog-appregistry", "servicediscovery", "servicediscovery-fips", "servicequotas", "signin", "sms",
    "sms-fips", "snow-device-management", "sns", "sqs", "ssm", "ssm-contacts", "ssm-incidents", "ssmmessages", "states",
    "storagegateway", "studio", "sts", "swf", "swf-fips", "synthetics", "tagging", "textract", "textract-fips",
    "timestream-influxdb", "transcribe", "transcribestreaming", "transfer", "transfer.server", "translate", "verifiedpermissions",
    "vpc-lattice", "wisdom", "workspaces", "xray",
];
